package io.bpfmapd.variables;

import io.bpfmapd.btf.BtfType;

/**
 * One global variable of a section: a DATASEC's {@code btf_var_secinfo} and the VAR it names.
 *
 * @param name        the VAR's name, as the C source declares it
 * @param typeId      the VAR's type (the type of the variable's value), an id in the map's BTF
 * @param declaration the variable's C declaration as libbpf's btf_dump writes it ({@code char comm[16]}); bpftool's
 *                    skeleton writes the same without qualifiers
 * @param type        the C name of its type ({@code char[16]}, {@code struct stats}, {@code volatile const __u32})
 * @param offset      where the value starts in the section (element 0 of the map)
 * @param size        the value's bytes: the secinfo's size, which libbpf sets to the type's
 * @param linkage     static, global or extern, from the VAR
 */
public record Variable(String name, int typeId, String declaration, String type, long offset, long size,
                       BtfType.Linkage linkage) {
}
