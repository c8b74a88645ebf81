package io.bpfmapd.map;

/** Counts the sessions open on a map; the session registry implements it, so maps need not know sessions. */
@FunctionalInterface
public interface SessionCounter {

    SessionCounts countFor(String mapId);
}
