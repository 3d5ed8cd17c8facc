/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The doorbell library's rule for kernels without IRQ_DOMAIN_FLAG_MSI_IMMUTABLE
 * (before 6.16): which MSI parents keep a message fixed after setup. A header
 * so that the x86 test module (selftests/x86-modules/msi_rule) checks the very
 * same code against real x86 parents, with and without interrupt remapping.
 */
#ifndef SOCBPF_MSI_RULE_H
#define SOCBPF_MSI_RULE_H

#include <linux/irqdomain.h>
#include <linux/msi.h>
#include <linux/string.h>

/*
 * True if @parent is an MSI parent domain whose msi_parent_ops prefix names
 * a translating controller: "ITS-" (GICv3 ITS, drivers/irqchip/
 * irq-gic-v3-its-msi-parent.c) or "IR-" (Intel and AMD interrupt remapping,
 * drivers/iommu/intel/irq_remapping.c, drivers/iommu/amd/iommu.c). The 6.12
 * x86 vector domain has no prefix (arch/x86/kernel/apic/msi.c) and is not.
 */
static inline bool socbpf_msi_parent_fixed(struct irq_domain *parent)
{
	static const char * const fixed[] = { "ITS-", "IR-" };
	const char *prefix;
	int i;

	if (!parent || !irq_domain_is_msi_parent(parent) ||
	    !parent->msi_parent_ops)
		return false;
	prefix = parent->msi_parent_ops->prefix;
	if (!prefix)
		return false;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!strcmp(prefix, fixed[i]))
			return true;
	return false;
}

#endif /* SOCBPF_MSI_RULE_H */
