package io.bpfmapd.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a mutating request does, read from its method and path: the operation name of the audit log
 * and the map and session it names.
 *
 * @param name    e.g. {@code map.freeze}, {@code session.open}; {@code other} for a path no endpoint has
 * @param map     the map id in the path, or null
 * @param session the session id in the path, or null
 */
public record AuditedOperation(String name, String map, String session) {

    private record Shape(String method, Pattern path, String name, boolean mapFirst) {
    }

    private static final String ID = "([^/]+)";
    private static final String API = ApiAccessRules.API;

    private static final List<Shape> SHAPES = List.of(
            new Shape("POST", Pattern.compile(API + "/maps"), "map.create", true),
            new Shape("POST", Pattern.compile(API + "/maps/import"), "map.import", true),
            new Shape("DELETE", Pattern.compile(API + "/maps/" + ID), "map.delete", true),
            new Shape("POST", Pattern.compile(API + "/maps/" + ID + "/pin"), "map.pin", true),
            new Shape("POST", Pattern.compile(API + "/maps/" + ID + "/freeze"), "map.freeze", true),
            new Shape("PUT", Pattern.compile(API + "/maps/" + ID + "/values/" + ID), "value.update", true),
            new Shape("PUT", Pattern.compile(API + "/maps/" + ID + "/variables/" + ID), "variable.update", true),
            new Shape("POST", Pattern.compile(API + "/maps/" + ID + "/sessions"), "session.open", true),
            new Shape("POST", Pattern.compile(API + "/sessions/" + ID + "/renew"), "session.renew", false),
            new Shape("DELETE", Pattern.compile(API + "/sessions/" + ID), "session.close", false),
            new Shape("PUT", Pattern.compile(API + "/sessions/" + ID + "/memory(/bytes)?"), "session.write", false),
            new Shape("POST", Pattern.compile(API + "/exports"), "export.create", true),
            // a view's name is neither a map nor a session: no group, so the audit line names neither
            new Shape("DELETE", Pattern.compile(API + "/exports/[^/]+"), "export.delete", true));

    /** An operation by its audit name, with its method and a path of its shape (every id {@code _}). */
    public record Example(String name, String method, String path) {
    }

    /** Every named operation, in the order above: for asking the access rules who may do it. */
    public static List<Example> examples() {
        return SHAPES.stream()
                // An id becomes "_", an optional part of the path, such as (/bytes)?, is left out.
                .map(shape -> new Example(shape.name, shape.method,
                        shape.path.pattern().replace(ID, "_").replace("[^/]+", "_").replaceAll("\\([^()]*\\)\\?", "")))
                .toList();
    }

    public static AuditedOperation of(String method, String path) {
        for (Shape shape : SHAPES) {
            Matcher m = shape.path.matcher(path);
            if (shape.method.equals(method) && m.matches()) {
                String id = m.groupCount() > 0 ? m.group(1) : null;
                return shape.mapFirst ? new AuditedOperation(shape.name, id, null) : new AuditedOperation(shape.name, null, id);
            }
        }
        return new AuditedOperation("other", null, null);
    }

    public AuditedOperation withMap(String map) {
        return new AuditedOperation(name, map, session);
    }

    public AuditedOperation withSession(String session) {
        return new AuditedOperation(name, map, session);
    }
}
