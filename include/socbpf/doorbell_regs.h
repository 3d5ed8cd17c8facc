/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register BAR of socbpf's doorbell endpoint function (socbpf_pci_epf_db), as
 * the host reads it. In the spirit of upstream pci-epf-test's doorbell
 * registers (DB_BAR, DB_OFFSET, DB_DATA, a status word), but our own layout:
 * a header, then one block per doorbell. All fields little-endian u32.
 *
 * A host may ring doorbell i only while SOCBPF_DB_F_READY is set in its flags:
 * the endpoint sets it last, after its handler is installed and address/data
 * are written, and clears it first when it withdraws the doorbell.
 */
#ifndef SOCBPF_DOORBELL_REGS_H
#define SOCBPF_DOORBELL_REGS_H

#define SOCBPF_DB_MAGIC		0x31424453	/* "SDB1" */
#define SOCBPF_DB_VERSION	1
#define SOCBPF_DB_MAX		8

/* header */
#define SOCBPF_DB_REG_MAGIC	0x00
#define SOCBPF_DB_REG_VERSION	0x04
#define SOCBPF_DB_REG_NUM	0x08	/* doorbells offered */
#define SOCBPF_DB_REG_BAR	0x0c	/* BAR number that holds the doorbells */
#define SOCBPF_DB_REG_STATUS	0x10	/* SOCBPF_DB_STATUS_* */

#define SOCBPF_DB_STATUS_UP	0x1	/* function bound, registers valid */

/* per doorbell i: SOCBPF_DB_BLOCK(i) + one of the offsets below */
#define SOCBPF_DB_BLOCK(i)	(0x40 + (i) * 0x20)
#define SOCBPF_DB_FLAGS		0x00	/* SOCBPF_DB_F_* */
#define SOCBPF_DB_OFFSET	0x04	/* offset of the doorbell in BAR REG_BAR */
#define SOCBPF_DB_DATA		0x08	/* value to write there */
#define SOCBPF_DB_COUNT		0x0c	/* rings the endpoint's handler saw */
#define SOCBPF_DB_CPU		0x10	/* CPU the handler last ran on */

#define SOCBPF_DB_F_READY	0x1

#define SOCBPF_DB_REGS_SIZE	SOCBPF_DB_BLOCK(SOCBPF_DB_MAX)

#endif /* SOCBPF_DOORBELL_REGS_H */
