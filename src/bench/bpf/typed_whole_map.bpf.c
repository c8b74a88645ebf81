// SPDX-License-Identifier: GPL-2.0
/*
 * The map of typed-whole-map.sh: 1M flow records with BTF, as an agent keeps them, so that bpftool
 * and the service print every value by its type. No program: bpftool prog loadall creates and pins
 * the map (libbpf gives it the object's BTF), and the script fills it through the service.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum flow_state { FLOW_NEW, FLOW_ESTABLISHED, FLOW_CLOSING, FLOW_CLOSED };

struct flow {
	__u64 packets;
	__u64 bytes;
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 syn : 1, ack : 1, fin : 1, rst : 1, ecn : 2;
	enum flow_state state;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 20);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct flow);
} flows SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
