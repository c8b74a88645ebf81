package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.ForwardingMapping;
import io.bpfmapd.backend.Mapping;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A mapping of an emulated map whose accesses answer a fault on the file's pages as {@link MapFaults}
 * says (EIO for a truncated file, ENOSPC for a page the file system could not allocate), and refuse
 * at once once the map is broken. The kernel backend has no file under its maps: its mappings cannot
 * fault this way.
 */
final class FaultCheckedMapping extends ForwardingMapping {

    private final MapState state;

    FaultCheckedMapping(Mapping mapping, MapState state) {
        super(mapping);
        this.state = state;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        MapFaults.refuseIfBroken(state, "read");
        try {
            super.read(offset, dst, dstOffset, length);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }

    @Override
    public long readLong(long offset) {
        MapFaults.refuseIfBroken(state, "read");
        try {
            return super.readLong(offset);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        MapFaults.refuseIfBroken(state, "write");
        try {
            super.write(offset, src, srcOffset, length);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "write", e);
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        MapFaults.refuseIfBroken(state, "write");
        try {
            super.writeLong(offset, value);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "write", e);
        }
    }

    /** A fault after the first chunk went out ends a response already under way: the client sees it cut. */
    @Override
    public void transferTo(long offset, long length, OutputStream out) throws IOException {
        MapFaults.refuseIfBroken(state, "read");
        try {
            super.transferTo(offset, length, out);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }
}
