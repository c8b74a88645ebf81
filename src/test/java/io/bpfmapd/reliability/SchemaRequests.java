package io.bpfmapd.reliability;

import io.bpfmapd.testing.ApiClient;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Requests generated from an OpenAPI 3 document alone: for an operation, its path and query parameters
 * and one of its request bodies, each either valid by its schema or a boundary or invalid value (wrong
 * type, missing required field, number out of range, unknown enum string, unknown field). Knows nothing
 * of this service but the document, and where to draw existing path ids from.
 */
final class SchemaRequests {

    /** One operation of the document. */
    record Operation(String method, String path, JsonNode spec) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** One generated request. */
    record Req(String method, String path, String contentType, byte[] body) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length > 200 ? body.length + " bytes" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] " + shown;
        }
    }

    /** The JSON value "leave this field out". */
    private static final Object ABSENT = new Object();

    private final JsonNode document;
    private final Random random;
    private final java.util.Set<String> unavailable;

    /** @param unavailable enum values never generated as valid (a backend this run does not have) */
    SchemaRequests(JsonNode document, Random random, java.util.Set<String> unavailable) {
        this.document = document;
        this.random = random;
        this.unavailable = unavailable;
    }

    /** Every operation whose path starts with {@code prefix}. */
    List<Operation> operations(String prefix) {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            if (path.getKey().startsWith(prefix)) {
                for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                    operations.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue()));
                }
            }
        }
        return operations;
    }

    /**
     * A request for {@code op}: each parameter and the body valid by schema with probability
     * {@code validity}, else a boundary or invalid value. A path parameter of type string takes an id
     * from {@code ids} (existing maps or sessions, or random).
     */
    Req request(Operation op, double validity, Supplier<String> ids) {
        String path = op.path();
        List<String> query = new ArrayList<>();
        for (JsonNode param : op.spec().path("parameters")) {
            String name = param.get("name").asString();
            JsonNode schema = resolve(param.get("schema"));
            boolean valid = random.nextDouble() < validity;
            if (param.get("in").asString().equals("path")) {
                String value = schema.path("type").asString().equals("string") && valid ? ids.get()
                        : text(valid ? valid(schema) : invalid(schema));
                path = path.replace("{" + name + "}", URLEncoder.encode(value, StandardCharsets.UTF_8));
            } else if (param.get("in").asString().equals("query")) {
                Object value = valid ? (random.nextInt(3) == 0 ? ABSENT : valid(schema)) : invalid(schema);
                if (value != ABSENT) {
                    query.add(name + "=" + URLEncoder.encode(text(value), StandardCharsets.UTF_8));
                }
            }
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        JsonNode content = op.spec().path("requestBody").path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return new Req(op.method(), path, null, null);
        }
        List<String> types = new ArrayList<>(content.propertyNames());
        String type = types.get(random.nextInt(types.size()));
        JsonNode schema = resolve(content.get(type).get("schema"));
        boolean valid = random.nextDouble() < validity;
        byte[] body;
        if ("binary".equals(schema.path("format").asString())) {
            int size = valid ? 8 * random.nextInt(16) : List.of(0, 1, 7, 9, 4095, 4097, 8193, 70000).get(random.nextInt(8));
            body = new byte[size];
            random.nextBytes(body);
        } else {
            Object value = valid ? valid(schema) : invalid(schema);
            body = value == ABSENT ? new byte[0] : ApiClient.JSON.writeValueAsBytes(value);
        }
        if (!valid && random.nextInt(8) == 0) {
            type = List.of("text/plain", "application/xml", "application/octet-stream", "application/json").get(random.nextInt(4));
        }
        return new Req(op.method(), path, type, body);
    }

    /** A value its schema allows, kept small so that a valid request does not ask for much. */
    Object valid(JsonNode schema) {
        schema = resolve(schema);
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            values.removeIf(v -> unavailable.contains(v.asString()));
            return values.get(random.nextInt(values.size())).asString();
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> validObject(schema);
            case "array" -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(valid(schema.path("items")));
                }
                yield items;
            }
            case "integer" -> {
                long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
                yield min + List.of(0L, 1L, 4L, 8L, 16L, 64L, 4096L, (long) random.nextInt(100)).get(random.nextInt(8));
            }
            case "number" -> random.nextDouble() * 100;
            case "boolean" -> random.nextBoolean();
            default -> validString(schema);
        };
    }

    /** Required fields and a few optional ones, often exactly one ("give exactly one value field"). */
    private Map<String, Object> validObject(JsonNode schema) {
        Map<String, Object> object = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        List<String> optional = new ArrayList<>();
        for (String name : schema.path("properties").propertyNames()) {
            if (required.contains(name) || defaultsToUnavailable(schema.get("properties").get(name))) {
                object.put(name, valid(schema.get("properties").get(name)));
            } else {
                optional.add(name);
            }
        }
        java.util.Collections.shuffle(optional, random);
        int take = optional.isEmpty() ? 0 : random.nextInt(3) == 0 ? random.nextInt(optional.size() + 1) : Math.min(1, optional.size());
        for (String name : optional.subList(0, take)) {
            object.put(name, valid(schema.get("properties").get(name)));
        }
        return object;
    }

    /** An optional enum field whose default may be an unavailable value (import: KERNEL) is always given. */
    private boolean defaultsToUnavailable(JsonNode property) {
        JsonNode schema = resolve(property);
        for (JsonNode value : schema.path("enum")) {
            if (unavailable.contains(value.asString())) {
                return true;
            }
        }
        return false;
    }

    private String validString(JsonNode schema) {
        String pattern = schema.path("pattern").asString("");
        String alphabet = pattern.startsWith("[A-Za-z0-9_.]") ? "abcXYZ019_." : "0123456789abcdef";
        int length = pattern.isEmpty() ? 2 * random.nextInt(9) : random.nextInt(16);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A value its schema does not allow, or a boundary one: wrong type, out of range, unknown enum, broken object. */
    Object invalid(JsonNode schema) {
        schema = resolve(schema);
        String type = type(schema);
        if (type.equals("object")) {
            return invalidObject(schema);
        }
        int pick = random.nextInt(4);
        if (pick == 0) {
            return wrongType(type);
        }
        if (schema.has("enum")) {
            return List.of("NOPE", "", "hex ", "read_write", "Ü", "0").get(random.nextInt(6));
        }
        return switch (type) {
            case "integer", "number" -> List.<Object>of(-1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MAX_VALUE + 1,
                    (long) Integer.MIN_VALUE - 1, new BigInteger("18446744073709551616"), 1.5, 1e300,
                    schema.has("minimum") ? schema.get("minimum").asLong() - 1 : -4096L).get(random.nextInt(9));
            case "array" -> random.nextBoolean() ? java.util.Collections.singletonList(invalid(schema.path("items")))
                    : java.util.Collections.nCopies(2000 + random.nextInt(3000), valid(schema.path("items")));
            case "boolean" -> List.<Object>of("true", 1, "yes").get(random.nextInt(3));
            default -> List.of("a".repeat(5000), "\u0000", "../../etc", "/", "é€", "%s", "-1", "zz").get(random.nextInt(8));
        };
    }

    /** A valid object broken once or more: a required field dropped, a field invalid, an unknown field, or not an object. */
    private Object invalidObject(JsonNode schema) {
        Map<String, Object> object = validObject(schema);
        List<String> names = new ArrayList<>(schema.path("properties").propertyNames());
        for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
            switch (random.nextInt(5)) {
                case 0 -> schema.path("required").forEach(r -> {
                    if (random.nextBoolean()) {
                        object.remove(r.asString());
                    }
                });
                case 1, 2 -> {
                    if (!names.isEmpty()) {
                        String name = names.get(random.nextInt(names.size()));
                        object.put(name, invalid(schema.get("properties").get(name)));
                    }
                }
                case 3 -> object.put(List.of("extra", "u46", "ttl", "id", "owner").get(random.nextInt(5)), valid(schema));
                default -> {
                    return List.<Object>of(List.of(), "{}", 42, ABSENT).get(random.nextInt(4));
                }
            }
        }
        return object;
    }

    private Object wrongType(String type) {
        List<Object> candidates = new ArrayList<>(List.of("str", 7L, 2.5, true, List.of(1), Map.of("a", 1)));
        candidates.add(null);
        candidates.removeIf(c -> c != null && switch (type) {
            case "string" -> c instanceof String;
            case "integer" -> c instanceof Long;
            case "number" -> c instanceof Number;
            case "boolean" -> c instanceof Boolean;
            case "array" -> c instanceof List;
            default -> c instanceof Map;
        });
        return candidates.get(random.nextInt(candidates.size()));
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            return type.get(0).asString();
        }
        if (type.isMissingNode() && schema.has("properties")) {
            return "object";
        }
        return type.asString("string");
    }

    private JsonNode resolve(JsonNode schema) {
        while (schema != null && schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            schema = document.at(ref.substring(1));
        }
        return schema;
    }

    private static String text(Object value) {
        if (value == null || value == ABSENT) {
            return "";
        }
        return value instanceof String s ? s : ApiClient.JSON.writeValueAsString(value);
    }

    static String randomId(Random random) {
        return List.of(new UUID(random.nextLong(), random.nextLong()).toString(), "0", "zz", "x".repeat(200), "null", "..")
                .get(random.nextInt(6));
    }
}
