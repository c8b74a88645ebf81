package io.bpfmapd.backend.emulated;

import io.bpfmapd.backend.BatchResult;
import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.BpfMap;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.backend.MapGeometry;
import io.bpfmapd.backend.MapInfo;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.Mapping;
import io.bpfmapd.backend.UpdateFlag;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A handle on an emulated map: the kernel's map fd, holding one reference and an access mode. The
 * syscall-side permission of every operation is the kernel's map_get_sys_perms: the handle's mode,
 * less write access once the map is frozen.
 */
public final class EmulatedMap implements BpfMap {

    static final String OP_LOOKUP = "BPF_MAP_LOOKUP_ELEM";
    static final String OP_LOOKUP_BATCH = "BPF_MAP_LOOKUP_BATCH";
    static final String OP_UPDATE = "BPF_MAP_UPDATE_ELEM";
    static final String OP_DELETE = "BPF_MAP_DELETE_ELEM";
    static final String OP_FREEZE = "BPF_MAP_FREEZE";
    static final String OP_MMAP = "mmap";

    private final MapState state;
    private final FileMode mode;
    private final AtomicBoolean closed = new AtomicBoolean();

    EmulatedMap(MapState state, FileMode mode) {
        this.state = state;
        this.mode = mode;
    }

    @Override
    public MapInfo info() {
        return withHandle("info", state::info);
    }

    /** The BTF the map was created with (kept in its file), with btf id 0. */
    @Override
    public Optional<MapBtf> btf() {
        return withHandle("BPF_OBJ_GET_INFO_BY_FD", () -> Optional.ofNullable(state.btf()));
    }

    @Override
    public byte[] lookup(int index) {
        return onMemory(OP_LOOKUP, () -> {
            if (!mode.canRead()) {
                throw new BpfException(Errno.EPERM, OP_LOOKUP, "the handle has no read access");
            }
            if (Integer.compareUnsigned(index, state.spec().maxEntries()) >= 0) {
                throw new BpfException(Errno.ENOENT, OP_LOOKUP, "index " + Integer.toUnsignedString(index) + " is out of range");
            }
            // ARRAY: value_size bytes (copy_map_value); PERCPU_ARRAY: elem_size per CPU, padding
            // included (bpf_percpu_array_copy copies whole 8-byte words).
            byte[] value = element(index).asSlice(0, state.geometry().valueSize()).toArray(ValueLayout.JAVA_BYTE);
            state.specialFields().zero(value);
            return value;
        });
    }

    /**
     * generic_map_lookup_batch over array_map_get_next_key (kernel/bpf/syscall.c, arraymap.c): the
     * read permission first (bpf_map_do_batch: EPERM), then a count of 0 copies nothing; the walk
     * starts after in_batch (at 0 when there is none, or when it is at or past max_entries) and stops at
     * count values or after the last index, which is the kernel's ENOENT.
     */
    @Override
    public BatchResult lookupBatch(OptionalInt inBatch, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count);
        }
        return withHandle(OP_LOOKUP_BATCH, () -> {
            if (!mode.canRead()) {
                throw new BpfException(Errno.EPERM, OP_LOOKUP_BATCH, "the handle has no read access");
            }
            if (count == 0) {
                return new BatchResult(List.of(), OptionalInt.empty(), false);
            }
            long entries = Integer.toUnsignedLong(state.spec().maxEntries());
            long next = inBatch.isEmpty() || Integer.toUnsignedLong(inBatch.getAsInt()) >= entries
                    ? 0 : Integer.toUnsignedLong(inBatch.getAsInt()) + 1;
            List<byte[]> values = new ArrayList<>();
            while (values.size() < count && next < entries) {
                values.add(lookup((int) next));
                next++;
            }
            OptionalInt out = values.isEmpty() ? OptionalInt.empty() : OptionalInt.of((int) (next - 1));
            return new BatchResult(values, out, values.size() < count);
        });
    }

    @Override
    public void update(int index, byte[] value, UpdateFlag flag) {
        Objects.requireNonNull(flag, "flag");
        onMemory(OP_UPDATE, () -> {
            // The kernel copies exactly this many bytes from the caller; other sizes are the caller's bug.
            long expected = valueBytes();
            if (value == null || value.length != expected) {
                throw new BpfException(Errno.EINVAL, OP_UPDATE, "value of " + (value == null ? 0 : value.length)
                        + " bytes, the map takes " + expected);
            }
            // map_update_elem counts the update as a writer before it checks permissions.
            state.beginWrite();
            try {
                if (!mode.canWrite() || state.frozen()) {
                    throw new BpfException(Errno.EPERM, OP_UPDATE,
                            state.frozen() ? "the map is frozen" : "the handle has no write access");
                }
                // array_map_update_elem / bpf_percpu_array_update
                if (Integer.compareUnsigned(index, state.spec().maxEntries()) >= 0) {
                    throw new BpfException(Errno.E2BIG, OP_UPDATE, "index " + Integer.toUnsignedString(index) + " is out of range");
                }
                if (flag == UpdateFlag.NOEXIST) {
                    throw new BpfException(Errno.EEXIST, OP_UPDATE, "array elements always exist");
                }
                write(index, value);
            } finally {
                state.endWrite();
            }
            return null;
        });
    }

    private void write(int index, byte[] value) {
        MemorySegment element = element(index);
        if (state.spec().type() == MapType.PERCPU_ARRAY) {
            // copy_map_value_long: whole elem_size slots, padding included.
            MemorySegment.copy(value, 0, element, ValueLayout.JAVA_BYTE, 0, value.length);
            return;
        }
        // copy_map_value: value_size bytes, skipping special fields.
        state.specialFields().copyAround(value, element);
    }

    @Override
    public void delete(int index) {
        onMemory(OP_DELETE, () -> {
            // map_delete_elem, like map_update_elem, counts itself as a writer (bpf_map_write_active_inc)
            // before it checks permissions, and until it returns: a freeze meanwhile is EBUSY.
            state.beginWrite();
            try {
                if (!mode.canWrite() || state.frozen()) {
                    throw new BpfException(Errno.EPERM, OP_DELETE,
                            state.frozen() ? "the map is frozen" : "the handle has no write access");
                }
                // array_map_delete_elem: array elements cannot be deleted.
                throw new BpfException(Errno.EINVAL, OP_DELETE, "array elements cannot be deleted");
            } finally {
                state.endWrite();
            }
        });
    }

    @Override
    public void freeze() {
        onMemory(OP_FREEZE, () -> {
            MapFaults.requireWholeFile(state, OP_FREEZE);
            state.freeze(mode);
            return null;
        });
    }

    @Override
    public Mapping mmap(long offset, long length, boolean writable) {
        return onMemory(OP_MMAP, () -> state.mmap(mode, offset, length, writable));
    }

    @Override
    public void pin(Path path) {
        onMemory(EmulatedBackend.OP_OBJ_PIN, () -> {
            state.pin(path);
            return null;
        });
    }

    @Override
    public void unpin(Path path) {
        withHandle(MapState.OP_UNPIN, () -> {
            state.unpin(path);
            return null;
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.release();
        }
    }

    /** Bytes of a value on the syscall path: value_size, or elem_size per possible CPU. */
    int valueBytes() {
        return (int) state.geometry().valueSize();
    }

    private MemorySegment element(int index) {
        return state.data().asSlice(state.geometry().offsetOf(index), state.geometry().stride());
    }

    @Override
    public MapGeometry geometry() {
        return state.geometry();
    }

    MapState state() {
        return state;
    }

    /**
     * An operation on the map's memory or lasting state: refused with EIO once the map is broken, and a
     * fault of its access (a truncated file) answered as {@link MapFaults} says. Info, unpin and close
     * still work on a broken map, so that it can be looked at and removed.
     */
    private <T> T onMemory(String op, Supplier<T> body) {
        return withHandle(op, () -> {
            MapFaults.refuseIfBroken(state, op);
            try {
                return body.get();
            } catch (InternalError e) {
                throw MapFaults.translate(state, op, e);
            }
        });
    }

    private <T> T withHandle(String op, Supplier<T> body) {
        if (closed.get() || state.isFreed()) {
            throw new BpfException(Errno.EBADF, op, "the handle on map " + state.id() + " is closed");
        }
        try {
            return body.get();
        } catch (IllegalStateException e) {
            // The backend shut down under us and closed the map's arena mid-access.
            if (state.isFreed()) {
                throw new BpfException(Errno.EBADF, op, "map " + state.id() + " went away during the call");
            }
            throw e;
        }
    }
}
