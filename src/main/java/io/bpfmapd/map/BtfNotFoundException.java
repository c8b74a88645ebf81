package io.bpfmapd.map;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** The map was created without BTF, so it is untyped: 404, errno ENOENT (type btf-not-found). */
public class BtfNotFoundException extends ProblemException {

    public BtfNotFoundException(String mapId) {
        super(ProblemType.BTF_NOT_FOUND, "map " + mapId + " was created without BTF: its values are untyped bytes", null);
    }
}
