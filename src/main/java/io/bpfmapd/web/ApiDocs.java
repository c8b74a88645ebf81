package io.bpfmapd.web;

/** Texts the OpenAPI annotations share, so the same rule reads the same everywhere. */
public final class ApiDocs {

    public static final String MAP_NOT_FOUND = "No map with this id (type urn:bpfmapd:problem:map-not-found)";
    public static final String BTF_NOT_FOUND = "No map with this id (type urn:bpfmapd:problem:map-not-found), or the map "
            + "was created without BTF (type urn:bpfmapd:problem:btf-not-found)";
    public static final String SESSION_NOT_FOUND =
            "No open session with this id: never opened, closed, or expired (type urn:bpfmapd:problem:session-not-found)";
    public static final String SESSION_CLOSED =
            "The session was closed or expired while this request used it (type urn:bpfmapd:problem:session-closed)";
    public static final String ENOTSUPP = "ENOTSUPP: the value has special fields (bpf_spin_lock), or the map type "
            + "cannot do this (PERCPU_ARRAY has no mmap)";
    public static final String BACKEND_UNAVAILABLE =
            "The backend asked for is not enabled or does not work on this machine; detail says why";
    public static final String NOT_ACCEPTABLE = "The Accept header asks for a type this endpoint does not produce";
    public static final String CREATE_400 = "EINVAL: a bad spec (keySize not 4, valueSize or maxEntries 0, MMAPABLE "
            + "on PERCPU_ARRAY, RDONLY with WRONLY, RDONLY_PROG with WRONLY_PROG...), or a refused field; E2BIG: "
            + "sizes too large; malformed JSON or an unknown enum value";
    public static final String ETAG = "a strong tag of the bytes returned and the format; If-None-Match with it "
            + "answers 304 while the values are unchanged";
    public static final String FORMAT_400 = "EINVAL: unknown format, or a value that is not a whole number of the "
            + "format's integers, or format=typed on a map without a BTF value type; or a negative index";
    public static final String PERCPU_VALUES = "Values of an ARRAY are valueSize bytes. A PERCPU_ARRAY value is the "
            + "kernel's per-CPU buffer: round_up(valueSize, 8) bytes for each possible CPU, CPU 0 first (typed: an "
            + "array of one typed value per CPU).";
    public static final String TYPED_WRITES = "A typed value (field typed, maps with a BTF value type) may name only "
            + "some fields of a struct: only their bytes change. Through BPF_MAP_UPDATE_ELEM that is a lookup, the "
            + "patch and an update of the whole value, so a BPF program's write to the element in between is lost. "
            + "A wrong field, JSON type or range is EINVAL naming the field path, and nothing is written.";
    public static final String DATA_AREA = "for an MMAPABLE map, its PAGE_ALIGN(maxEntries * elemSize) bytes as a "
            + "session sees them, read through a temporary read-only mapping; for any other map, each element's "
            + "lookup value padded to a multiple of 8, one after the other (for PERCPU_ARRAY, the per-CPU buffer).";
    public static final String MEMORY_400 = "EINVAL: offset or length outside the session's window, a length above "
            + "bpfmapd.api.max-json-bytes for JSON, or a bad format";

    private ApiDocs() {
    }
}
