package io.bpfmapd.variables;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** The map's value type is no DATASEC, so it holds no variables by name: 404, errno ENOENT (type not-a-section). */
public class NotASectionException extends ProblemException {

    public NotASectionException(String mapId, String why) {
        super(ProblemType.NOT_A_SECTION, "map " + mapId + " holds no global variables: " + why
                + " (variables are those of a libbpf global-data map: .bss, .data, .rodata, .kconfig, .data.*)", null);
    }
}
