package io.bpfmapd.web;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * A strong {@code ETag} for a JSON read: a 64-bit hash of the value bytes returned and of what else
 * shapes the answer (format, index, from, count), in quotes. One pass over bytes already on the heap,
 * eight bytes a step; no second read of the map. Spring answers {@code If-None-Match} with 304 itself
 * when a {@code ResponseEntity} carries the tag (HttpEntityMethodProcessor), so a controller only sets it.
 *
 * <p>The mixing is XXH64's (the accumulate and avalanche steps with its primes): 64 bits, so a changed
 * value gives the same tag with a chance of about 2^-64, which a strong validator can live with.
 */
public final class ContentTag {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long h;

    private ContentTag(String shape) {
        h = P5;
        for (int i = 0; i < shape.length(); i++) {
            mix(shape.charAt(i));
        }
    }

    /** A tag over {@code shape} (what the answer looks like besides the bytes: "u64 from=0 count=4") and bytes to come. */
    public static ContentTag of(String shape) {
        return new ContentTag(shape);
    }

    /** Adds one value's bytes, and their length, so that [ab][c] and [a][bc] differ. */
    public ContentTag add(byte[] bytes) {
        mix(bytes.length);
        int at = 0;
        for (; at + 8 <= bytes.length; at += 8) {
            mix((long) LONGS.get(bytes, at));
        }
        for (; at < bytes.length; at++) {
            h ^= (bytes[at] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return this;
    }

    /** The quoted strong tag, e.g. {@code "9f86d081884c7d65"}. */
    public String etag() {
        long x = h;
        x ^= x >>> 33;
        x *= P2;
        x ^= x >>> 29;
        x *= P3;
        x ^= x >>> 32;
        return '"' + HexFormat.of().toHexDigits(x) + '"';
    }

    private void mix(long k) {
        k *= P2;
        k = Long.rotateLeft(k, 31);
        k *= P1;
        h ^= k;
        h = Long.rotateLeft(h, 27) * P1 + P4;
    }
}
