package io.bpfmapd.typed;

import java.math.BigInteger;

/** The bytes and mask of a {@link TypedPatch} as codecs fill them in, little-endian. */
final class Patcher {

    private final byte[] bytes;
    private final byte[] mask;

    Patcher(int size) {
        bytes = new byte[size];
        mask = new byte[size];
    }

    /** The low {@code width} bytes of {@code v} at byte {@code offset}. */
    void setLong(long offset, int width, long v) {
        for (int i = 0; i < width; i++) {
            int at = Math.toIntExact(offset + i);
            bytes[at] = (byte) (v >>> (8 * i));
            mask[at] = -1;
        }
    }

    /** {@code width} bytes of a two's complement integer at byte {@code offset}. */
    void setBig(long offset, int width, BigInteger v) {
        byte[] be = v.toByteArray();
        byte sign = (byte) (v.signum() < 0 ? -1 : 0);
        for (int i = 0; i < width; i++) {
            int from = be.length - 1 - i;
            int at = Math.toIntExact(offset + i);
            bytes[at] = from >= 0 ? be[from] : sign;
            mask[at] = -1;
        }
    }

    /** {@code src} at byte {@code offset}, then zeros up to {@code width} bytes. */
    void setBytes(long offset, byte[] src, int width) {
        for (int i = 0; i < width; i++) {
            int at = Math.toIntExact(offset + i);
            bytes[at] = i < src.length ? src[i] : 0;
            mask[at] = -1;
        }
    }

    /**
     * The low {@code bits} bits of {@code v} at bit {@code shift} past byte {@code offset}, little-endian
     * bit numbering as the kernel's bitfields on little-endian targets (kernel/bpf/btf.c btf_bitfield_show).
     */
    void setBits(long offset, int shift, int bits, BigInteger v) {
        long first = offset * 8 + shift;
        for (int k = 0; k < bits; k++) {
            long bit = first + k;
            int at = Math.toIntExact(bit >>> 3);
            int b = 1 << (bit & 7);
            mask[at] |= (byte) b;
            bytes[at] = (byte) (v.testBit(k) ? bytes[at] | b : bytes[at] & ~b);
        }
    }

    /**
     * Takes every byte of {@code [offset, offset + size)} into the patch: those no field set (padding, a
     * bitfield's unused bits) become 0, as in a C value whose every member is initialized.
     */
    void claim(long offset, long size) {
        for (long i = 0; i < size; i++) {
            mask[Math.toIntExact(offset + i)] = -1;
        }
    }

    TypedPatch patch() {
        return new TypedPatch(bytes, mask);
    }
}
