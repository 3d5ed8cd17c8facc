/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Portability shim so wire-format code in include/socbpf builds unchanged in
 * the kernel, in BPF programs and in userspace (unit tests, fuzzers, emulators).
 */
#ifndef _SOCBPF_COMPAT_H
#define _SOCBPF_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <endian.h>
#include <stdbool.h>
#include <linux/types.h>	/* __le16, __le32, __le64 */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
#define cpu_to_le16(x) htole16(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#define le16_to_cpu(x) le16toh(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#endif /* __KERNEL__ */

#define SOCBPF_ALIGN4(x) (((x) + 3u) & ~3u)

#endif /* _SOCBPF_COMPAT_H */
