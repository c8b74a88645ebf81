package io.bpfmapd.map;

import io.bpfmapd.backend.BpfException;
import io.bpfmapd.backend.Errno;
import io.bpfmapd.backend.MapBtf;
import io.bpfmapd.btf.Btf;
import io.bpfmapd.btf.BtfCFormat;

/**
 * A map's BTF as GET /maps/{id}/btf answers it: JSON ({@link MapBtfResponse}) or, for {@code format=c},
 * C declarations ({@link BtfCFormat}); exactly one of the two is set.
 */
record MapBtfView(MapBtfResponse json, String c) {

    /**
     * @throws BpfException EINVAL for a format other than json (the default) or c, or for format=c of types C
     *                      cannot print (see {@link BtfCFormat#format})
     */
    static MapBtfView of(MapBtf mapBtf, String format) {
        String f = format == null || format.isBlank() ? "json" : format.strip();
        if (!f.equals("json") && !f.equals("c")) {
            throw new BpfException(Errno.EINVAL, "format", "unknown format '" + format + "'; use json or c");
        }
        Btf btf = Btf.parse(mapBtf.blob());
        int[] roots = mapBtf.keyTypeId() == 0 ? new int[]{mapBtf.valueTypeId()} : new int[]{mapBtf.keyTypeId(), mapBtf.valueTypeId()};
        if (f.equals("c")) {
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
