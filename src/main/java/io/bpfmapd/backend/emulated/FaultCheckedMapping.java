package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.Mapping;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A mapping of an emulated map whose accesses answer a fault on the file's pages as {@link MapFaults}
 * says (EIO for a truncated file, ENOSPC for a page the file system could not allocate), and refuse
 * at once once the map is broken. The kernel backend has no file under its maps: its mappings cannot
 * fault this way.
 */
final class FaultCheckedMapping implements Mapping {

    private final Mapping mapping;
    private final MapState state;

    FaultCheckedMapping(Mapping mapping, MapState state) {
        this.mapping = mapping;
        this.state = state;
    }

    @Override
    public long offset() {
        return mapping.offset();
    }

    @Override
    public long length() {
        return mapping.length();
    }

    @Override
    public boolean writable() {
        return mapping.writable();
    }

    @Override
    public boolean currentlyWritable() {
        return mapping.currentlyWritable();
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        MapFaults.refuseIfBroken(state, "read");
        try {
            mapping.read(offset, dst, dstOffset, length);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }

    @Override
    public long readLong(long offset) {
        MapFaults.refuseIfBroken(state, "read");
        try {
            return mapping.readLong(offset);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        MapFaults.refuseIfBroken(state, "write");
        try {
            mapping.write(offset, src, srcOffset, length);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "write", e);
        }
    }

    @Override
    public void writeLong(long offset, long value) {
        MapFaults.refuseIfBroken(state, "write");
        try {
            mapping.writeLong(offset, value);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "write", e);
        }
    }

    /** A fault after the first chunk went out ends a response already under way: the client sees it cut. */
    @Override
    public void transferTo(long offset, long length, OutputStream out) throws IOException {
        MapFaults.refuseIfBroken(state, "read");
        try {
            mapping.transferTo(offset, length, out);
        } catch (InternalError e) {
            throw MapFaults.translate(state, "read", e);
        }
    }

    @Override
    public void protect(boolean writable) {
        mapping.protect(writable);
    }

    @Override
    public void close() {
        mapping.close();
    }

    @Override
    public boolean isClosed() {
        return mapping.isClosed();
    }
}
