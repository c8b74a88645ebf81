package io.bpfmapd.map;

import java.math.BigInteger;
import java.util.List;

/** The value fields a JSON body may carry, one per {@link ValueFormat}; a write gives exactly one. */
public interface ValueFields {

    String hex();

    String base64();

    List<Long> u8();

    List<Long> u16();

    List<Long> u32();

    List<BigInteger> u64();

    List<Long> i64();
}
