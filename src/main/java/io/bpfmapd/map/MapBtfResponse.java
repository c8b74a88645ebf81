package io.bpfmapd.map;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * A map's key and value types, from its BTF.
 *
 * @param kernelBtfId the kernel's id of the BTF object ({@code bpftool btf dump id N}); null in the emulation
 * @param keyTypeId   the key's type id in {@code types}, 0 when the map has none
 * @param valueTypeId the value's type id in {@code types}, 0 when the map has none
 * @param types       every type reachable from the key and value types, by id
 */
record MapBtfResponse(Integer kernelBtfId, int keyTypeId, int valueTypeId,
                      @Schema(description = "Each type: {id, kind (INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, "
                              + "VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, "
                              + "ENUM64), name, size and alignment (for a type with a size), and its kind's fields: "
                              + "INT {encoding, bitOffset, bits}; PTR, TYPEDEF and qualifiers {type}; ARRAY {type, "
                              + "indexType, nelems}; STRUCT and UNION {members: [{name, type, bitOffset, bitfieldSize}]}; "
                              + "ENUM and ENUM64 {signed, values: [{name, value}]}; FWD {union}; FUNC and VAR {type, "
                              + "linkage}; FUNC_PROTO {returnType, params}; DATASEC {vars: [{type, offset, size}]}; "
                              + "DECL_TAG {type, componentIdx}")
                      List<Map<String, Object>> types) {
}
