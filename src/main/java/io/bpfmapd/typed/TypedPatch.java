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
        int n = bytes.length;
        int i = 0;
        while (i < n) {
            byte m = mask[i];
            if (m == 0) {
                i++;
            } else if (m == -1) {
                int run = i;
                while (run < n && mask[run] == -1) {
                    run++;
                }
                MemorySegment.copy(bytes, i, value, ValueLayout.JAVA_BYTE, offset + i, run - i);
                i = run;
            } else {
                byte old = value.get(ValueLayout.JAVA_BYTE, offset + i);
                value.set(ValueLayout.JAVA_BYTE, offset + i, (byte) ((old & ~m) | (bytes[i] & m)));
                i++;
            }
        }
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
