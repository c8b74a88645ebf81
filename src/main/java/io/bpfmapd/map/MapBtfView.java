package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfCFormat;
import io.bpfmapd.btf.BtfFormatException;

/**
 * A map's BTF as GET /maps/{id}/btf answers it: JSON ({@link MapBtfResponse}) or, for {@code format=c},
 * C declarations ({@link BtfCFormat}); exactly one of the two is set.
 */
record MapBtfView(MapBtfResponse json, String c) {

    /**
     * @throws BpfException EINVAL for a format other than json (the default) or c, or for format=c of types C
     *                      cannot print (see {@link BtfCFormat#format}); EOPNOTSUPP for BTF this service
     *                      cannot read (a kind newer than its reader)
     */
    static MapBtfView of(MapBtf mapBtf, String format) {
        BtfFormat f = BtfFormat.of(format);
        Btf btf;
        try {
            btf = Btf.parse(mapBtf.blob());
        } catch (BtfFormatException e) {
            // The kernel took this blob (kernel/bpf/btf.c btf_parse), so what this reader refuses is a
            // newer kernel's: a kind after ENUM64, which cannot be skipped (a type's data has no length
            // field; only its kind says how long it is), so no type after it can be found either. Not
            // the request's fault, and no crash: the operation is not supported by this service.
            throw new BpfException(Errno.EOPNOTSUPP, "BTF parse", "this service cannot read the map's BTF (from a "
                    + "newer kernel than it knows?): " + e.getMessage());
        }
        int[] roots = mapBtf.keyTypeId() == 0 ? new int[]{mapBtf.valueTypeId()} : new int[]{mapBtf.keyTypeId(), mapBtf.valueTypeId()};
        if (f == BtfFormat.C) {
            try {
                return new MapBtfView(null, BtfCFormat.format(btf, roots));
            } catch (IllegalArgumentException e) {
                // BTF the kernel took that C cannot print (libbpf's btf_dump refuses the same cycles) or whose
                // text would be huge: the JSON still shows it.
                throw new BpfException(Errno.EINVAL, "format", "these types cannot be printed as C: " + e.getMessage()
                        + "; ask for format=json");
            }
        }
        return new MapBtfView(new MapBtfResponse(mapBtf.btfId() == 0 ? null : mapBtf.btfId(), mapBtf.keyTypeId(),
                mapBtf.valueTypeId(), BtfJson.reachable(btf, roots)), null);
    }
}
