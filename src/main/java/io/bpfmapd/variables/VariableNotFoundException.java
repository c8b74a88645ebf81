package io.bpfmapd.variables;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** The map's section has no variable of this name: 404, errno ENOENT (type variable-not-found). */
public class VariableNotFoundException extends ProblemException {

    public VariableNotFoundException(String mapId, String section, String name) {
        super(ProblemType.VARIABLE_NOT_FOUND, "section " + section + " of map " + mapId + " has no variable named '"
                + name + "'", null);
    }
}
