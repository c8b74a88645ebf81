package io.bpfmapd.map;

import io.bpfmapd.web.ProblemException;
import io.bpfmapd.web.ProblemType;

/** No map with this id is held by the service (never created, or deleted): 404, errno ENOENT. */
public class MapNotFoundException extends ProblemException {

    private final String mapId;

    public MapNotFoundException(String mapId) {
        super(ProblemType.MAP_NOT_FOUND, "no map with id " + mapId, null);
        this.mapId = mapId;
    }

    public String mapId() {
        return mapId;
    }
}
