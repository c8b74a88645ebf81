package io.bpfmapd.map;

/** No map with this id is held by the service (never created, or deleted). */
public class MapNotFoundException extends RuntimeException {

    private final String mapId;

    public MapNotFoundException(String mapId) {
        super("no map with id " + mapId);
        this.mapId = mapId;
    }

    public String mapId() {
        return mapId;
    }
}
