package io.bpfmapd.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bytes to set in a value of one BTF type's size: the value's bits where {@code mask}'s bits are 1,
 * the old bits elsewhere. A JSON object naming only some fields of a struct gives a patch whose mask
 * covers only those fields' bits (a bitfield's bits, not its neighbours').
 *
 * @param bytes the new bits (those outside the mask are 0)
 * @param mask  1 where a bit is set by the patch; same length as {@code bytes}
 */
public record TypedPatch(byte[] bytes, byte[] mask) {

    public TypedPatch {
        if (bytes.length != mask.length) {
            throw new IllegalArgumentException(bytes.length + " bytes with a mask of " + mask.length);
        }
    }

    /** Whether every bit of the value is set: the patch is a whole value and needs no old value. */
    public boolean whole() {
        for (byte m : mask) {
            if (m != -1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets the patch's bits in the value at {@code offset}: {@code (v & ~mask) | (bytes & mask)}. Bytes the
     * mask does not touch are neither read nor written, so through a shared mapping a BPF program's
     * concurrent writes to other fields survive; a byte partly covered (a bitfield's) is read, merged and
     * written back, which is not atomic against a program writing the same byte.
     */
    public void applyTo(MemorySegment value, long offset) {
        applyTo(new Target() {
            public byte read(long at) {
                return value.get(ValueLayout.JAVA_BYTE, at);
            }

            public void write(long at, byte[] src, int from, int length) {
                MemorySegment.copy(src, from, value, ValueLayout.JAVA_BYTE, at, length);
            }
        }, offset);
    }

    /** The same through a {@link Target}: whole runs of masked bytes written at once, partial bytes merged one by one. */
    public void applyTo(Target value, long offset) {
        int n = bytes.length;
        int i = 0;
        byte[] one = new byte[1];
        while (i < n) {
            byte m = mask[i];
            if (m == 0) {
                i++;
            } else if (m == -1) {
                int run = i;
                while (run < n && mask[run] == -1) {
                    run++;
                }
                value.write(offset + i, bytes, i, run - i);
                i = run;
            } else {
                one[0] = (byte) ((value.read(offset + i) & ~m) | (bytes[i] & m));
                value.write(offset + i, one, 0, 1);
                i++;
            }
        }
    }

    /** Bytes a patch reads and writes: a segment, or a mapping that hands out none. */
    public interface Target {
        byte read(long offset);

        void write(long offset, byte[] src, int from, int length);
    }

    /** Applies the patch to heap bytes at {@code offset}. */
    public void applyTo(byte[] value, int offset) {
        applyTo(MemorySegment.ofArray(value), offset);
    }

    /** The patch applied to a copy of {@code old}. */
    public byte[] applyTo(byte[] old) {
        if (old.length != bytes.length) {
            throw new IllegalArgumentException("a patch of " + bytes.length + " bytes on a value of " + old.length);
        }
        byte[] out = old.clone();
        applyTo(MemorySegment.ofArray(out), 0);
        return out;
    }
}
