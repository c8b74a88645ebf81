package io.bpfmapd.variables;

import io.bpfmapd.btf.BtfType;

/**
 * One global variable of a section: a DATASEC's {@code btf_var_secinfo} and the VAR it names.
 *
 * @param name        the VAR's name, as the C source declares it
 * @param typeId      the VAR's type (the type of the variable's value), an id in the map's BTF
 * @param declaration the C declaration of the variable as bpftool's skeleton writes it ({@code char comm[16]})
 * @param type        the C name of its type ({@code char[16]}, {@code struct stats}, {@code const volatile int})
 * @param offset      where the value starts in the section (element 0 of the map)
 * @param size        the value's bytes: the secinfo's size, which libbpf sets to the type's
 * @param linkage     static, global or extern, from the VAR
 */
public record Variable(String name, int typeId, String declaration, String type, long offset, long size,
                       BtfType.Linkage linkage) {
}
