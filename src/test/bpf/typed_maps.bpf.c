// SPDX-License-Identifier: GPL-2.0
/*
 * typed_maps: the libbpf object of the typed-values differential (issue 13): struct-valued ARRAY
 * maps with BTF (one BPF_F_MMAPABLE, one not, one PERCPU_ARRAY) and globals in .bss, .data, .rodata
 * and a custom .data.custom section, each a DATASEC-typed map once libbpf loads the object.
 *
 * The value type has a member of every shape bpftool's btf_dumper.c (bpftool 7.1) prints: ints of
 * every width and sign, bool, a char array (a string), an unsigned char array (numbers), enums of 4
 * and 1 bytes, unsigned and signed bitfields (one across a byte boundary, one 40 bits wide), nested
 * structs, an array of structs, a 2-D array, a union, anonymous struct and union members, a typedef,
 * const and volatile members, a pointer and a zero-length array. No float: btf_dumper_do_type has no
 * case for BTF_KIND_FLOAT (bpftool prints "(unsupported-kind" and gives up on the map).
 * No enum64: clang 14 (Debian 12) emits no BTF_KIND_ENUM64 (LLVM 15 does).
 *
 * On raw_tp/sys_enter of the test's process (target_tgid, set by the test), fill() writes
 * elements 0..FILLED-1 of each map with values that depend on the index only, and counts its hits;
 * the test writes the other elements itself, with random bytes, through bpfmapd.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

#define ENTRIES 8
#define FILLED 4

enum color { RED, GREEN = 5, BLUE = -1 };
enum __attribute__((packed)) level { LOW, MID = 100, HIGH = 200 };

typedef __u32 flow_id;

struct inner {
	__u16 port;
	__s8 delta;
	char tag[3];
};

union addr {
	__u32 v4;
	__u8 bytes[16];
	__u64 halves[2];
};

struct value {
	__u8 u8;
	__s8 s8;
	__u16 u16;
	__s16 s16;
	__u32 u32;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	bool flag;
	char comm[16];
	unsigned char mac[6];
	enum color color;
	enum level level;
	unsigned int bf_a : 3, bf_b : 5;
	int bf_c : 7;
	unsigned int bf_d : 9;
	__u64 bf_wide : 40;
	struct inner inner;
	struct inner inners[2];
	__u32 matrix[2][3];
	union addr addr;
	struct {
		__u16 anon_x;
		__u16 anon_y;
	};
	union {
		__u32 as_u32;
		__s16 as_s16;
	};
	flow_id id;
	const __u32 konst;
	volatile __s32 vol;
	struct inner *ptr;
	__u32 tail[0];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENTRIES);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct value);
} typed_mmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, struct value);
} typed_plain SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENTRIES);
	__type(key, __u32);
	__type(value, struct value);
} typed_percpu SEC(".maps");

/* The test's process, written by the test: a section of its own, so that writing it (the whole
 * section, as bpftool map update does) races with nothing the program writes. No process has tgid
 * 0xffffffff. */
__u32 target_tgid SEC(".data.target") = 0xffffffff;

/* .bss */
__u64 hits;
struct value last;

/* .data */
int data_int = -7;
char data_str[8] = "hello";
struct inner data_inner = { .port = 8080, .delta = -3, .tag = "ab" };
enum color data_color = GREEN;
__s64 data_s64 = -1234567890123LL;

/* .rodata: const volatile, so that clang keeps them in the object for libbpf to load */
const volatile __u32 ro_limit = 42;
const volatile char ro_name[12] = "typed-maps";
const volatile enum level ro_level = HIGH;

/* .data.custom: a section of its own, a map named by libbpf after it (cut at 15 characters) */
__u64 custom_counter SEC(".data.custom") = 123;
char custom_label[8] SEC(".data.custom") = "custom";

static __always_inline void fill_value(struct value *v, __u32 i)
{
	v->u8 = 200 + i;
	v->s8 = -100 - (int)i;
	v->u16 = 60000 + i;
	v->s16 = -30000 - (int)i;
	v->u32 = 4000000000U + i;
	v->s32 = -2000000000 - (int)i;
	v->u64 = 18000000000000000000ULL + i;
	v->s64 = -9000000000000000000LL - (__s64)i;
	v->flag = i & 1;
	__builtin_memcpy(v->comm, "agent-", 6);
	v->comm[6] = '0' + i;
	v->comm[7] = 0;
	v->mac[0] = 0xde;
	v->mac[5] = i;
	v->color = i == 0 ? RED : i == 1 ? GREEN : i == 2 ? BLUE : 7; /* 7: no name */
	v->level = i == 0 ? LOW : i == 1 ? MID : i == 2 ? HIGH : 3;
	v->bf_a = i;
	v->bf_b = 31 - i;
	v->bf_c = -64 + (int)i;
	v->bf_d = 511 - i;
	v->bf_wide = 0xfedcba9876ULL + i;
	v->inner.port = 443;
	v->inner.delta = -1;
	v->inner.tag[0] = 'x';
	v->inner.tag[1] = 0;
	v->inners[1].port = 22 + i;
	v->inners[1].delta = 127;
	v->inners[1].tag[0] = 'y';
	v->inners[1].tag[1] = 'z';
	v->inners[1].tag[2] = 'w'; /* no NUL: bpftool prints numbers, not a string */
	v->matrix[1][2] = 12 + i;
	v->addr.halves[0] = 0x0102030405060708ULL;
	v->addr.halves[1] = 0x1112131415161718ULL + i;
	v->anon_x = 7;
	v->anon_y = 8 + i;
	v->as_u32 = 0xffff0000U + i;
	v->id = 1000 + i;
	*(__u32 *)&v->konst = 99;
	v->vol = -5;
	v->ptr = (struct inner *)(0xffff888000000000ULL + i);
}

SEC("raw_tp/sys_enter")
int fill(void *ctx)
{
	__u32 i;

	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	hits++;
	for (i = 0; i < FILLED; i++) {
		__u32 key = i;
		struct value *v;

		v = bpf_map_lookup_elem(&typed_mmap, &key);
		if (v)
			fill_value(v, i);
		v = bpf_map_lookup_elem(&typed_plain, &key);
		if (v)
			fill_value(v, i + 10);
		v = bpf_map_lookup_elem(&typed_percpu, &key);
		if (v)
			fill_value(v, i + 20);
	}
	fill_value(&last, (__u32)hits);
	custom_counter += ro_limit;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
