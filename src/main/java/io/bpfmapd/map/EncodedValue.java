package io.bpfmapd.map;

import java.math.BigInteger;
import java.util.List;

/** Bytes rendered in one {@link ValueFormat}: exactly one field is set. */
public record EncodedValue(String hex, String base64, List<Long> u8, List<Long> u16, List<Long> u32,
                           List<BigInteger> u64, List<Long> i64) implements ValueFields {
}
