/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf virtual PCI endpoint controller: what the emulated host side uses.
 *
 * A real EPC translates inbound PCIe writes to a BAR into the local address
 * the endpoint function set with pci_epc_set_bar() (its inbound ATU window).
 * This controller has no link; the host side of the test bed reaches a BAR
 * through the accessors below, which honour the window exactly as the
 * function set or cleared it, so a host that touches a cleared BAR gets an
 * error instead of writing into memory the function already freed.
 */
#ifndef SOCBPF_VEPC_H
#define SOCBPF_VEPC_H

#include <linux/pci-epc.h>
#include <linux/types.h>

int socbpf_vepc_host_read32(struct pci_epc *epc, enum pci_barno bar,
			    u32 off, u32 *val);
int socbpf_vepc_host_write32(struct pci_epc *epc, enum pci_barno bar,
			     u32 off, u32 val);
int socbpf_vepc_host_translate(struct pci_epc *epc, enum pci_barno bar,
			       u32 off, u32 len, phys_addr_t *phys);

#endif /* SOCBPF_VEPC_H */
