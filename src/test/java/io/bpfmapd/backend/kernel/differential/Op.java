package io.bpfmapd.backend.kernel.differential;

import io.bpfmapd.backend.MapFlag;
import io.bpfmapd.backend.MapSpec;
import io.bpfmapd.backend.MapType;
import io.bpfmapd.backend.UpdateFlag;

/**
 * One step of a differential run, applied to both backends. Handles are addressed by their position
 * among those the run created so far (modulo the count, so that any generated number names one);
 * closed handles stay addressable, because what a closed handle answers is part of the contract.
 */
public sealed interface Op {

    /** {@code typed}: created with the BTF of that struct value, or null for none. */
    record Create(MapType type, int keySize, int valueSize, int maxEntries, int flags, boolean spinLock, String name,
                  TypedValue typed) implements Op {

        Create(MapType type, int keySize, int valueSize, int maxEntries, int flags, boolean spinLock, String name) {
            this(type, keySize, valueSize, maxEntries, flags, spinLock, name, null);
        }

        MapSpec spec() {
            return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, spinLock, typed == null ? null : typed.btf());
        }

        @Override
        public String toString() {
            return "create(" + type + ", key " + keySize + ", value " + valueSize + ", entries " + maxEntries
                    + ", flags " + flagNames(flags) + (spinLock ? ", spin lock" : "") + (typed == null ? "" : ", typed " + typed)
                    + ", name \"" + name + "\")";
        }
    }

    record Lookup(int map, int index) implements Op {
        @Override
        public String toString() {
            return "lookup(map#" + map + ", " + index + ")";
        }
    }

    /** BPF_MAP_LOOKUP_BATCH after index {@code inBatch}, or from the start when {@code inBatch} is null. */
    record LookupBatch(int map, Integer inBatch, int count) implements Op {
        @Override
        public String toString() {
            return "lookupBatch(map#" + map + ", in_batch " + (inBatch == null ? "NULL" : inBatch) + ", count " + count + ")";
        }
    }

    /** {@code sizeDelta} 0 writes a value of the map's size; anything else a wrong size. */
    record Update(int map, int index, int seed, UpdateFlag flag, int sizeDelta) implements Op {
        @Override
        public String toString() {
            return "update(map#" + map + ", " + index + ", seed " + seed + ", " + flag
                    + (sizeDelta == 0 ? "" : ", size " + (sizeDelta > 0 ? "+" : "") + sizeDelta) + ")";
        }
    }

    record Delete(int map, int index) implements Op {
        @Override
        public String toString() {
            return "delete(map#" + map + ", " + index + ")";
        }
    }

    record Freeze(int map) implements Op {
        @Override
        public String toString() {
            return "freeze(map#" + map + ")";
        }
    }

    record Mmap(int map, long offset, long length, boolean writable) implements Op {
        @Override
        public String toString() {
            return "mmap(map#" + map + ", offset " + offset + ", length " + length + (writable ? ", rw" : ", ro") + ")";
        }
    }

    /** Writes {@code length} bytes at {@code offset} modulo the mapping's length (clamped to its end). */
    record Write(int mapping, int offset, int length, int seed) implements Op {
        @Override
        public String toString() {
            return "write(mapping#" + mapping + ", @" + offset + ", " + length + " bytes, seed " + seed + ")";
        }
    }

    /** Reads the whole mapping. */
    record Read(int mapping) implements Op {
        @Override
        public String toString() {
            return "read(mapping#" + mapping + ")";
        }
    }

    record Protect(int mapping, boolean writable) implements Op {
        @Override
        public String toString() {
            return "mprotect(mapping#" + mapping + (writable ? ", rw" : ", ro") + ")";
        }
    }

    record Unmap(int mapping) implements Op {
        @Override
        public String toString() {
            return "munmap(mapping#" + mapping + ")";
        }
    }

    record Close(int map) implements Op {
        @Override
        public String toString() {
            return "close(map#" + map + ")";
        }
    }

    /** Compares what both backends report about a map (all but the id). */
    record Info(int map) implements Op {
        @Override
        public String toString() {
            return "info(map#" + map + ")";
        }
    }

    private static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        int rest = flags;
        for (MapFlag f : MapFlag.values()) {
            if (f.isSet(flags)) {
                sb.append(sb.isEmpty() ? "" : "|").append(f.name());
                rest &= ~f.bit();
            }
        }
        if (rest != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }
}
