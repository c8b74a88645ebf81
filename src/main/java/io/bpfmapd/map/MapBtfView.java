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

    /** @throws BpfException EINVAL for a format other than json (the default) or c */
    static MapBtfView of(MapBtf mapBtf, String format) {
        String f = format == null || format.isBlank() ? "json" : format.strip();
        if (!f.equals("json") && !f.equals("c")) {
            throw new BpfException(Errno.EINVAL, "format", "unknown format '" + format + "'; use json or c");
        }
        Btf btf = Btf.parse(mapBtf.blob());
        int[] roots = mapBtf.keyTypeId() == 0 ? new int[]{mapBtf.valueTypeId()} : new int[]{mapBtf.keyTypeId(), mapBtf.valueTypeId()};
        if (f.equals("c")) {
            return new MapBtfView(null, BtfCFormat.format(btf, roots));
        }
        return new MapBtfView(new MapBtfResponse(mapBtf.btfId() == 0 ? null : mapBtf.btfId(), mapBtf.keyTypeId(),
                mapBtf.valueTypeId(), BtfJson.reachable(btf, roots)), null);
    }
}
