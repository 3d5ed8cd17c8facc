/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf_doorbell: RC-to-EP doorbells for PCI endpoint functions.
 *
 * The shape of upstream's pci_epf_alloc_doorbell()/pci_epf_free_doorbell()
 * (Linux 6.17: N doorbells for an endpoint function, each a platform MSI of
 * the endpoint controller with its message and Linux irq), under socbpf
 * names, with two rules made part of the API:
 *
 *  - an MSI parent whose message can change after setup is refused (-ENODEV
 *    and a log line, as upstream), see socbpf_doorbell_parent_immutable();
 *  - the message is never handed out: socbpf_doorbell_enable() requests the
 *    irq, then calls ops->publish with address and data, then ops->ready, in
 *    that order and no other, so a host can never ring before the handler
 *    exists. socbpf_doorbell_disable() and socbpf_doorbell_free() undo it in
 *    reverse: ops->retract first, then free_irq.
 */
#ifndef SOCBPF_DOORBELL_H
#define SOCBPF_DOORBELL_H

#include <linux/interrupt.h>
#include <linux/types.h>

struct irq_domain;
struct pci_epf;
struct socbpf_doorbells;

#define SOCBPF_DOORBELL_MAX	32

/**
 * struct socbpf_doorbell_ops - how a function shows a doorbell to its host
 * @publish: make @addr/@data reachable by the host (map a BAR onto @addr,
 *	     write offset and data into registers). Called with the irq
 *	     already requested; may sleep. Return 0 or -errno.
 * @ready: tell the host it may ring doorbell @idx (set a flag last).
 * @retract: tell the host to stop ringing @idx and undo @publish. Called
 *	     before the irq is freed; may sleep.
 */
struct socbpf_doorbell_ops {
	int (*publish)(void *ctx, unsigned int idx, u64 addr, u32 data);
	void (*ready)(void *ctx, unsigned int idx);
	void (*retract)(void *ctx, unsigned int idx);
};

bool socbpf_doorbell_parent_immutable(struct irq_domain *parent);
struct socbpf_doorbells *
socbpf_doorbell_alloc(struct pci_epf *epf, unsigned int num,
		      const struct socbpf_doorbell_ops *ops, void *ctx);
void socbpf_doorbell_free(struct socbpf_doorbells *dbs);
int socbpf_doorbell_enable(struct socbpf_doorbells *dbs, unsigned int idx,
			   irq_handler_t handler, unsigned long irqflags,
			   void *dev_id);
void socbpf_doorbell_disable(struct socbpf_doorbells *dbs, unsigned int idx);
int socbpf_doorbell_irq(struct socbpf_doorbells *dbs, unsigned int idx);
unsigned int socbpf_doorbell_msg_changes(struct socbpf_doorbells *dbs);

#endif /* SOCBPF_DOORBELL_H */
