package io.bpfmapd.backend.kernel;

import io.bpfmapd.backend.kernel.sys.Fd;
import io.bpfmapd.backend.kernel.sys.ProgCommands;

/**
 * A hand-assembled BPF program that atomically adds 1 to the u64 at byte {@code offset} of element
 * {@code key} of an array map, the equivalent of
 * <pre>
 *   __u64 *v = bpf_map_lookup_elem(&amp;map, &amp;key);
 *   if (v) __sync_fetch_and_add((__u64 *)((char *)v + offset), 1);
 *   return 0;
 * </pre>
 * Encodings from include/uapi/linux/bpf.h and bpf_common.h; {@code struct bpf_insn} is
 * {code:8, dst_reg:4, src_reg:4, off:16, imm:32}, little-endian.
 */
public final class IncrementProgram {

    private static final int BPF_PSEUDO_MAP_FD = 1;
    private static final int BPF_FUNC_MAP_LOOKUP_ELEM = 1;
    private static final int R0 = 0, R1 = 1, R2 = 2, R10 = 10;

    private IncrementProgram() {
    }

    static long[] instructions(int mapFd, int key, short offset) {
        return new long[]{
                insn(0x18, R1, BPF_PSEUDO_MAP_FD, 0, mapFd), // ld_imm64 r1, map (BPF_LD|BPF_IMM|BPF_DW)
                insn(0x00, 0, 0, 0, 0),                         //   its second half
                insn(0x62, R10, 0, -4, key),                    // *(u32 *)(r10 - 4) = key (BPF_ST|BPF_MEM|BPF_W)
                insn(0xbf, R2, R10, 0, 0),                      // r2 = r10 (BPF_ALU64|BPF_MOV|BPF_X)
                insn(0x07, R2, 0, 0, -4),                       // r2 += -4 (BPF_ALU64|BPF_ADD|BPF_K)
                insn(0x85, 0, 0, 0, BPF_FUNC_MAP_LOOKUP_ELEM),  // call bpf_map_lookup_elem
                insn(0x15, R0, 0, 2, 0),                        // if r0 == 0 goto +2 (BPF_JMP|BPF_JEQ|BPF_K)
                insn(0xb7, R1, 0, 0, 1),                        // r1 = 1 (BPF_ALU64|BPF_MOV|BPF_K)
                insn(0xdb, R0, R1, offset, 0x00),               // lock *(u64 *)(r0 + off) += r1 (BPF_STX|BPF_ATOMIC|BPF_DW, BPF_ADD)
                insn(0xb7, R0, 0, 0, 0),                        // r0 = 0
                insn(0x95, 0, 0, 0, 0),                         // exit (BPF_JMP|BPF_EXIT)
        };
    }

    /** Loads it as a socket filter, which BPF_PROG_TEST_RUN runs over a packet. */
    public static Fd load(int mapFd, int key, int offset) {
        return ProgCommands.load(ProgCommands.PROG_TYPE_SOCKET_FILTER, instructions(mapFd, key, (short) offset), "GPL");
    }

    /** Runs it once over a 64-byte zeroed packet. */
    public static void run(Fd prog) {
        ProgCommands.testRun(prog.value(), new byte[64]);
    }

    private static long insn(int code, int dst, int src, int off, int imm) {
        return (code & 0xffL)
                | ((long) ((dst & 0xf) | ((src & 0xf) << 4)) << 8)
                | ((off & 0xffffL) << 16)
                | ((imm & 0xffffffffL) << 32);
    }
}
