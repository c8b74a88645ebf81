// SPDX-License-Identifier: GPL-2.0
/*
 * Global variables in every kind of libbpf section, for KernelVariablesAgentTest: on each syscall of the
 * test's own process (target_tgid) the program copies what the test writes in .data into .bss, so
 * that a variable written by name over HTTP shows up, computed by the program, in another one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct settings {
	__u32 multiplier;
	char tag[8];
	__u32 enabled: 1;
	__u32 level: 3;
};

/* .bss: zero at load, filled by the program */
__u64 result;
__u64 hits;
char seen_tag[8];
__u32 seen_level;

/* .data: the test sets them */
__u32 target_tgid = 0xffffffff; /* no process has this tgid */
__u64 setting = 1;
struct settings cfg = { .multiplier = 1, .tag = "init", .enabled = 1, .level = 2 };

/* .rodata: frozen by libbpf after load */
const volatile __u32 version = 7;

/* a custom section, whose name the 15-character map name cannot hold */
char note[16] SEC(".data.custom") = "custom";

/* a section of static variables only, which libbpf (since 1.1) creates without BPF_F_MMAPABLE */
static __u64 static_step SEC(".data.statics") = 1;
static __u64 static_total SEC(".data.statics");

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	if ((__u32)(bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (cfg.enabled)
		result = setting * cfg.multiplier + version;
	__builtin_memcpy(seen_tag, cfg.tag, sizeof(seen_tag));
	seen_level = cfg.level;
	__sync_fetch_and_add(&hits, 1);
	static_total += static_step;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
