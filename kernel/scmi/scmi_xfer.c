// SPDX-License-Identifier: GPL-2.0
/*
 * socbpf SCMI agent core: tokens, pending transfers and the per-transfer
 * state machine.
 *
 * Tokens are handed out monotonically (modulo 1024), skipping tokens still
 * in flight, so a late message for a timed-out transfer cannot match the
 * transfer that got the lowest free token next.  The agent also remembers,
 * per token, how its last transfer ended (done or timed out, which messages
 * arrived): a P2A message that matches no pending transfer is then
 * classified as late, duplicate, unexpected or ghost and counted.
 *
 * State machine of one transfer (SENT -> [RESP_OK ->] DONE):
 *  - response in SENT: sync -> DONE; async with success -> RESP_OK.
 *  - delayed response in RESP_OK -> DONE.
 *  - delayed response in SENT (async): out of order; the response counts
 *    as received, the transfer is DONE and the response that follows is
 *    discarded (ooo_resp_dropped).
 *  - delayed response for a synchronous transfer: unexpected, discarded.
 *  - response in RESP_OK: duplicate, discarded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "scmi_core.h"
#include "scmi_trace.h"

/*
 * scmi_xfer_begin/end with the 6.17+ "inflight" field where the kernel has
 * that layout: the agent's transfers in flight when the event fires (read
 * without the lock: a trace value).
 */
static void scmi_trace_begin(struct scmi_agent *ag, struct scmi_xfer *x)
{
#ifdef SOCBPF_SCMI_TRACE_INFLIGHT
	trace_scmi_xfer_begin(x->transfer_id, x->msg_id, x->proto_id, x->token,
			      false, READ_ONCE(ag->inflight));
#else
	trace_scmi_xfer_begin(x->transfer_id, x->msg_id, x->proto_id, x->token,
			      false);
#endif
}

static void scmi_trace_end(struct scmi_agent *ag, struct scmi_xfer *x, int ret)
{
#ifdef SOCBPF_SCMI_TRACE_INFLIGHT
	trace_scmi_xfer_end(x->transfer_id, x->msg_id, x->proto_id, x->token,
			    ret, READ_ONCE(ag->inflight));
#else
	trace_scmi_xfer_end(x->transfer_id, x->msg_id, x->proto_id, x->token,
			    ret);
#endif
}

const char * const scmi_ctr_names[SCMI_CTR_NR] = {
	[SCMI_CTR_SENT_OK]		= "sent_ok",
	[SCMI_CTR_SENT_FAIL]		= "sent_fail",
	[SCMI_CTR_RESPONSE_OK]		= "response_ok",
	[SCMI_CTR_DRESP_OK]		= "dresp_ok",
	[SCMI_CTR_TIMEOUTS]		= "timeouts",
	[SCMI_CTR_ERRORS]		= "errors",
	[SCMI_CTR_GHOSTS]		= "ghosts",
	[SCMI_CTR_OUT_OF_ORDER]		= "out_of_order",
	[SCMI_CTR_OOO_RESP_DROPPED]	= "ooo_resp_dropped",
	[SCMI_CTR_DUPLICATES]		= "duplicates",
	[SCMI_CTR_LATE]			= "late",
	[SCMI_CTR_UNEXPECTED_DRESP]	= "unexpected_dresp",
	[SCMI_CTR_MALFORMED]		= "malformed",
	[SCMI_CTR_NOTIF_OK]		= "notif_ok",
	[SCMI_CTR_NOTIF_DROPPED]	= "notif_dropped",
	[SCMI_CTR_NOTIF_UNHANDLED]	= "notif_unhandled",
	[SCMI_CTR_ABORTED]		= "aborted",
	[SCMI_CTR_BUSY]			= "busy",
	[SCMI_CTR_PLATFORM_UP]		= "platform_up",
	[SCMI_CTR_PLATFORM_DOWN]	= "platform_down",
	[SCMI_CTR_TRIP_REFUSED]		= "trip_refused",
};

static const char * const scmi_tags[] = {
	[SCMI_WIRE_TYPE_COMMAND]	= "RESP",
	[SCMI_WIRE_TYPE_RESERVED]	= "????",
	[SCMI_WIRE_TYPE_DELAYED_RESP]	= "DLYD",
	[SCMI_WIRE_TYPE_NOTIFICATION]	= "NOTI",
};

/* What upstream's scmi_bad_message_trace() tags a discarded message with. */
static const char * const scmi_bad_tags[] = {
	[SCMI_WIRE_TYPE_COMMAND]	= "!RESP",
	[SCMI_WIRE_TYPE_RESERVED]	= "!UNKN",
	[SCMI_WIRE_TYPE_DELAYED_RESP]	= "!DLYD",
	[SCMI_WIRE_TYPE_NOTIFICATION]	= "!NOTI",
};

/* Upstream's enum scmi_bad_msg values, the status of those dumps. */
#define SCMI_BAD_MSG_UNEXPECTED	(-1)	/* no transfer waits for it */
#define SCMI_BAD_MSG_INVALID	(-2)	/* its transfer cannot take it */

/*
 * scmi_msg_dump's id and channel_id as upstream fills them (driver.c): the
 * SCMI instance (the first one is 0) and the protocol whose channel carried
 * the message; one channel pair serves every protocol here, the Base
 * protocol's, as on a virtio or single-mailbox platform.
 */
#define SCMI_DUMP_ID		0
#define SCMI_DUMP_CHANNEL	SCMI_PROTO_BASE

static DEFINE_RATELIMIT_STATE(scmi_rx_rs, 5 * HZ, 10);

/*
 * Transfers come from a cache of their own, never merged with another one,
 * so a transfer still allocated when the module goes away is reported by
 * kmem_cache_destroy() instead of leaking quietly.
 */
static struct kmem_cache *scmi_xfer_cache;

/**
 * scmi_xfer_cache_create() - create the transfer cache, before any transfer
 *
 * Return: 0 or -ENOMEM.
 */
int scmi_xfer_cache_create(void)
{
	scmi_xfer_cache = kmem_cache_create("socbpf_scmi_xfer", sizeof(struct scmi_xfer),
					    0, SLAB_NO_MERGE, NULL);
	return scmi_xfer_cache ? 0 : -ENOMEM;
}

/**
 * scmi_xfer_cache_destroy() - destroy the transfer cache, after the last one
 */
void scmi_xfer_cache_destroy(void)
{
	kmem_cache_destroy(scmi_xfer_cache);
}

/**
 * scmi_xfer_alloc() - allocate a transfer
 * @proto_id: protocol id
 * @msg_id:   message id
 * @tx_len:   command payload length (fill xfer->tx after the call)
 * @async:    the command asks for a delayed response
 *
 * Return: the transfer or NULL (bad length or no memory).
 */
struct scmi_xfer *scmi_xfer_alloc(u8 proto_id, u8 msg_id, size_t tx_len,
				  bool async)
{
	struct scmi_xfer *xfer;

	if (tx_len > SCMI_WIRE_MAX_PAYLOAD)
		return NULL;
	xfer = kmem_cache_zalloc(scmi_xfer_cache, GFP_KERNEL);
	if (!xfer)
		return NULL;
	INIT_HLIST_NODE(&xfer->node);
	xfer->proto_id = proto_id;
	xfer->msg_id = msg_id;
	xfer->tx_len = tx_len;
	xfer->async = async;
	init_completion(&xfer->done);
	init_completion(&xfer->async_done);
	return xfer;
}

/**
 * scmi_xfer_free() - free a transfer allocated by scmi_xfer_alloc()
 * @xfer: the transfer, not pending (scmi_do_xfer() returned)
 */
void scmi_xfer_free(struct scmi_xfer *xfer)
{
	kmem_cache_free(scmi_xfer_cache, xfer);
}

/* Caller holds the lock.  Returns the token or -EBUSY. */
static int scmi_token_get_locked(struct scmi_agent *ag)
{
	unsigned long t;

	t = find_next_zero_bit(ag->tok_busy, SCMI_WIRE_NR_TOKENS,
			       ag->next_token);
	if (t >= SCMI_WIRE_NR_TOKENS)
		t = find_first_zero_bit(ag->tok_busy, SCMI_WIRE_NR_TOKENS);
	if (t >= SCMI_WIRE_NR_TOKENS)
		return -EBUSY;
	__set_bit(t, ag->tok_busy);
	ag->next_token = (t + 1) & SCMI_WIRE_TOKEN_MAX;
	ag->tok_state[t] = SCMI_TOK_INFLIGHT;
	ag->tok_flags[t] = 0;
	return t;
}

/* Caller holds the lock: the transfer leaves the pending hash. */
static void scmi_xfer_unhash_locked(struct scmi_agent *ag,
				    struct scmi_xfer *xfer, u8 tok_state)
{
	if (hash_hashed(&xfer->node)) {
		hash_del(&xfer->node);
		__clear_bit(xfer->token, ag->tok_busy);
		ag->tok_state[xfer->token] = tok_state;
		ag->inflight--;
	}
}

static struct scmi_xfer *scmi_xfer_lookup_locked(struct scmi_agent *ag,
						 u16 token)
{
	struct scmi_xfer *xfer;

	hash_for_each_possible(ag->pending, xfer, node, token)
		if (xfer->token == token)
			return xfer;
	return NULL;
}

static bool scmi_slot_available(struct scmi_agent *ag)
{
	bool ok;

	spin_lock_irq(&ag->lock);
	ok = !ag->up || ag->dying || ag->inflight < ag->max_inflight;
	spin_unlock_irq(&ag->lock);
	return ok;
}

/*
 * Take an in-flight slot and a token and put the transfer in the hash.
 * Sleeps (killable, bounded by the transfer timeout) while the transport's
 * in-flight limit is reached.
 */
static int scmi_xfer_start(struct scmi_agent *ag, struct scmi_xfer *xfer)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(scmi_timeout_ms);
	long left;
	int tok;

	for (;;) {
		spin_lock_irq(&ag->lock);
		if (ag->dying) {
			spin_unlock_irq(&ag->lock);
			return -ENODEV;
		}
		if (!ag->up) {
			spin_unlock_irq(&ag->lock);
			return -ENOTCONN;
		}
		if (ag->inflight < ag->max_inflight) {
			tok = scmi_token_get_locked(ag);
			if (tok >= 0)
				break;
		}
		spin_unlock_irq(&ag->lock);

		left = (long)deadline - (long)jiffies;
		if (left <= 0) {
			scmi_ctr_inc(SCMI_CTR_BUSY);
			return -EBUSY;
		}
		left = wait_event_killable_timeout(ag->slot_wq,
						   scmi_slot_available(ag),
						   left);
		if (left < 0)
			return left;
	}
	xfer->token = tok;
	xfer->session = ag->session;
	xfer->state = SCMI_XS_SENT;
	if (xfer->async)
		ag->tok_flags[tok] |= SCMI_TOKF_ASYNC;
	hash_add(ag->pending, &xfer->node, xfer->token);
	ag->inflight++;
	if (ag->inflight > ag->inflight_max)
		ag->inflight_max = ag->inflight;
	spin_unlock_irq(&ag->lock);
	return 0;
}

static void scmi_xfer_finish(struct scmi_agent *ag, struct scmi_xfer *xfer,
			     u8 tok_state)
{
	spin_lock_irq(&ag->lock);
	scmi_xfer_unhash_locked(ag, xfer, tok_state);
	spin_unlock_irq(&ag->lock);
	wake_up(&ag->slot_wq);
}

/*
 * Wait for @c; on timeout, decide under the lock whether the message made
 * it after all (the completion raced with the timeout).
 */
static int scmi_xfer_wait(struct scmi_agent *ag, struct scmi_xfer *xfer,
			  struct completion *c, unsigned int tmo_ms,
			  bool delayed)
{
	long ret;

	ret = wait_for_completion_killable_timeout(c,
						   msecs_to_jiffies(tmo_ms));
	if (ret > 0)
		return 0;

	spin_lock_irq(&ag->lock);
	if (completion_done(c)) {
		spin_unlock_irq(&ag->lock);
		return 0;
	}
	/* Mark it timed out: anything arriving later for it is "late". */
	scmi_xfer_unhash_locked(ag, xfer, SCMI_TOK_TIMEDOUT);
	spin_unlock_irq(&ag->lock);
	wake_up(&ag->slot_wq);
	if (ret < 0)
		return ret;	/* killed */

	scmi_ctr_inc(SCMI_CTR_TIMEOUTS);
	trace_scmi_xfer_timeout(xfer->transfer_id, xfer->msg_id,
				xfer->proto_id, xfer->token, tmo_ms, delayed);
	pr_debug("transfer %d pt=%#x msg=%#x tok=%u timed out (%s)\n",
		 xfer->transfer_id, xfer->proto_id, xfer->msg_id, xfer->token,
		 delayed ? "delayed response" : "response");
	return -ETIMEDOUT;
}

/**
 * scmi_do_xfer() - send a command and wait for its response(s)
 * @xfer: transfer from scmi_xfer_alloc() with xfer->tx filled
 *
 * For an asynchronous transfer (xfer->async), waits for the delayed
 * response too when the response reported success.
 *
 * Context: process context, may sleep.
 * Return: 0, the SCMI status mapped to an errno, -ETIMEDOUT, -ENOTCONN
 * (no platform), -ECONNRESET (platform went away mid-transfer), -ENODEV
 * (module going away), -EBUSY (no in-flight slot) or -EPROTO (malformed
 * response).
 */
int scmi_do_xfer(struct scmi_xfer *xfer)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_wire_hdr hdr;
	int ret;

	xfer->transfer_id = atomic_inc_return(&ag->transfer_id);
	ret = scmi_xfer_start(ag, xfer);
	if (ret) {
		scmi_ctr_inc(SCMI_CTR_SENT_FAIL);
		return ret;
	}

	scmi_trace_begin(ag, xfer);

	hdr.msg_id = xfer->msg_id;
	hdr.type = SCMI_WIRE_TYPE_COMMAND;
	hdr.proto_id = xfer->proto_id;
	hdr.token = xfer->token;
	ret = scmi_transport_queue(&hdr, xfer->tx, xfer->tx_len, xfer->session);
	if (ret) {
		/* As upstream's do_xfer(): a failed send ends with no event. */
		scmi_ctr_inc(SCMI_CTR_SENT_FAIL);
		scmi_xfer_finish(ag, xfer, SCMI_TOK_DONE);
		return ret;
	}
	scmi_ctr_inc(SCMI_CTR_SENT_OK);
	trace_scmi_msg_dump(SCMI_DUMP_ID, SCMI_DUMP_CHANNEL, xfer->proto_id,
			    xfer->msg_id, "CMND",
			    xfer->token, 0, xfer->tx, xfer->tx_len);

	trace_scmi_xfer_response_wait(xfer->transfer_id, xfer->msg_id,
				      xfer->proto_id, xfer->token,
				      scmi_timeout_ms, false);
	ret = scmi_xfer_wait(ag, xfer, &xfer->done, scmi_timeout_ms, false);
	if (ret)
		goto out_end;

	/* The response (or an early delayed response, or a failure) is in. */
	if (xfer->state == SCMI_XS_FAILED) {
		ret = xfer->err;
		scmi_xfer_finish(ag, xfer, SCMI_TOK_DONE);
		goto out_end;
	}
	ret = scmi_wire_status_to_errno(xfer->status);
	if (ret)
		scmi_ctr_inc(SCMI_CTR_ERRORS);
	if (ret || !xfer->async) {
		scmi_xfer_finish(ag, xfer, SCMI_TOK_DONE);
		goto out_end;
	}

	/* Upstream ends the command phase here; the delayed part follows. */
	scmi_trace_end(ag, xfer, ret);

	ret = scmi_xfer_wait(ag, xfer, &xfer->async_done,
			     scmi_dresp_timeout_ms, true);
	if (!ret) {
		if (xfer->state == SCMI_XS_FAILED) {
			ret = xfer->err;
		} else {
			ret = scmi_wire_status_to_errno(xfer->dstatus);
			if (ret)
				scmi_ctr_inc(SCMI_CTR_ERRORS);
		}
		scmi_xfer_finish(ag, xfer, SCMI_TOK_DONE);
	}
	trace_scmi_xfer_async_end(xfer->transfer_id, xfer->msg_id,
				  xfer->proto_id, xfer->token, ret);
	return ret;

out_end:
	scmi_trace_end(ag, xfer, ret);
	return ret;
}

static void scmi_rx_discard(const struct scmi_wire_hdr *h, enum scmi_ctr c,
			    bool found)
{
	scmi_ctr_inc(c);
	trace_scmi_rx_discard(h->msg_id, h->proto_id, h->token, h->type,
			      scmi_ctr_names[c]);
	/*
	 * As upstream (since 6.9), every discarded message is also dumped with
	 * a '!' tag, so tools that only know upstream's events (scmitrace)
	 * see late, ghost and duplicate messages too.
	 */
	if (c != SCMI_CTR_MALFORMED)
		trace_scmi_msg_dump(SCMI_DUMP_ID, SCMI_DUMP_CHANNEL, h->proto_id,
				    h->msg_id,
				    (unsigned char *)scmi_bad_tags[h->type & 3],
				    h->token,
				    found ? SCMI_BAD_MSG_INVALID :
				    SCMI_BAD_MSG_UNEXPECTED,
				    NULL, 0);
	switch (c) {
	case SCMI_CTR_LATE:
		trace_scmi_xfer_late(h->msg_id, h->proto_id, h->token, h->type);
		break;
	case SCMI_CTR_GHOSTS:
		trace_scmi_ghost(h->msg_id, h->proto_id, h->token, h->type);
		break;
	case SCMI_CTR_DUPLICATES:
		trace_scmi_duplicate(h->msg_id, h->proto_id, h->token, h->type);
		break;
	default:
		break;
	}
}

/*
 * A message whose token matches no pending transfer: classify it from what
 * the agent remembers about the token.  Caller holds the lock.
 */
static enum scmi_ctr scmi_rx_orphan_locked(struct scmi_agent *ag,
					   const struct scmi_wire_hdr *h)
{
	u8 *flags = &ag->tok_flags[h->token];

	switch (ag->tok_state[h->token]) {
	case SCMI_TOK_TIMEDOUT:
		return SCMI_CTR_LATE;
	case SCMI_TOK_DONE:
		if (h->type == SCMI_WIRE_TYPE_COMMAND) {
			if ((*flags & SCMI_TOKF_RESP_IMPLIED) &&
			    !(*flags & SCMI_TOKF_RESP)) {
				*flags |= SCMI_TOKF_RESP;
				return SCMI_CTR_OOO_RESP_DROPPED;
			}
			return (*flags & SCMI_TOKF_RESP) ?
				SCMI_CTR_DUPLICATES : SCMI_CTR_GHOSTS;
		}
		if (!(*flags & SCMI_TOKF_ASYNC) ||
		    !(*flags & SCMI_TOKF_DRESP_WANTED))
			return SCMI_CTR_UNEXPECTED_DRESP;
		return (*flags & SCMI_TOKF_DRESP) ?
			SCMI_CTR_DUPLICATES : SCMI_CTR_LATE;
	default:
		return SCMI_CTR_GHOSTS;
	}
}

static void scmi_copy_payload(const struct scmi_wire_msg *m, u8 *dst,
			      size_t *dst_len, s32 *status)
{
	*status = m->status;
	*dst_len = m->payload_len - 4;
	memcpy(dst, m->payload + 4, *dst_len);
}

/*
 * Trace an accepted reply; before its waiter is woken and in upstream's
 * order (scmi_handle_response: scmi_msg_dump, then scmi_rx_done).
 */
static void scmi_rx_trace_ok(const struct scmi_wire_msg *m, int transfer_id)
{
	trace_scmi_msg_dump(SCMI_DUMP_ID, SCMI_DUMP_CHANNEL, m->hdr.proto_id,
			    m->hdr.msg_id,
			    (unsigned char *)scmi_tags[m->hdr.type],
			    m->hdr.token, m->status, (void *)(m->payload + 4),
			    m->payload_len - 4);
	trace_scmi_rx_done(transfer_id, m->hdr.msg_id, m->hdr.proto_id,
			   m->hdr.token, m->hdr.type);
}

/*
 * Apply one response / delayed response to the state machine.  Caller holds
 * the lock.  Returns the counter to bump, SCMI_CTR_NR when nothing but the
 * success counters apply, sets *transfer_id for tracing and *found when a
 * pending transfer holds the token.
 */
static enum scmi_ctr scmi_rx_reply_locked(struct scmi_agent *ag,
					  const struct scmi_wire_msg *m,
					  int *transfer_id, bool *found)
{
	const struct scmi_wire_hdr *h = &m->hdr;
	u8 *flags = &ag->tok_flags[h->token];
	struct scmi_xfer *xfer;

	xfer = scmi_xfer_lookup_locked(ag, h->token);
	if (!xfer)
		return scmi_rx_orphan_locked(ag, h);
	*found = true;
	*transfer_id = xfer->transfer_id;
	if (xfer->proto_id != h->proto_id || xfer->msg_id != h->msg_id)
		return SCMI_CTR_MALFORMED;

	if (h->type == SCMI_WIRE_TYPE_COMMAND) {
		if (xfer->state != SCMI_XS_SENT) {
			/* The response trailing an early delayed response. */
			if ((*flags & SCMI_TOKF_RESP_IMPLIED) &&
			    !(*flags & SCMI_TOKF_RESP)) {
				*flags |= SCMI_TOKF_RESP;
				return SCMI_CTR_OOO_RESP_DROPPED;
			}
			return SCMI_CTR_DUPLICATES;
		}
		scmi_copy_payload(m, xfer->rx, &xfer->rx_len, &xfer->status);
		*flags |= SCMI_TOKF_RESP;
		if (xfer->async && m->status == SCMI_SUCCESS) {
			*flags |= SCMI_TOKF_DRESP_WANTED;
			xfer->state = SCMI_XS_RESP_OK;
		} else {
			xfer->state = SCMI_XS_DONE;
		}
		scmi_ctr_inc(SCMI_CTR_RESPONSE_OK);
		scmi_rx_trace_ok(m, *transfer_id);
		complete(&xfer->done);
		return SCMI_CTR_NR;
	}

	/* Delayed response */
	if (!xfer->async)
		return SCMI_CTR_UNEXPECTED_DRESP;
	if (xfer->state == SCMI_XS_DONE)
		return (*flags & SCMI_TOKF_DRESP) ? SCMI_CTR_DUPLICATES :
			SCMI_CTR_UNEXPECTED_DRESP;
	scmi_copy_payload(m, xfer->drx, &xfer->drx_len, &xfer->dstatus);
	*flags |= SCMI_TOKF_DRESP | SCMI_TOKF_DRESP_WANTED;
	if (xfer->state == SCMI_XS_SENT) {
		/* Delayed response first: the response counts as received. */
		*flags |= SCMI_TOKF_RESP_IMPLIED;
		xfer->status = SCMI_SUCCESS;
		xfer->rx_len = 0;
		scmi_ctr_inc(SCMI_CTR_OUT_OF_ORDER);
		trace_scmi_out_of_order(h->msg_id, h->proto_id, h->token,
					h->type);
		xfer->state = SCMI_XS_DONE;
		scmi_ctr_inc(SCMI_CTR_DRESP_OK);
		scmi_rx_trace_ok(m, *transfer_id);
		complete(&xfer->done);
		complete(&xfer->async_done);
		return SCMI_CTR_NR;
	}
	xfer->state = SCMI_XS_DONE;
	scmi_ctr_inc(SCMI_CTR_DRESP_OK);
	scmi_rx_trace_ok(m, *transfer_id);
	complete(&xfer->async_done);
	return SCMI_CTR_NR;
}

/**
 * scmi_rx_malformed() - count and report a message that failed to parse
 * @len:    its length
 * @reason: negative enum scmi_wire_err
 */
void scmi_rx_malformed(size_t len, int reason)
{
	scmi_ctr_inc(SCMI_CTR_MALFORMED);
	trace_scmi_rx_discard(0, 0, 0, 0xff, "malformed");
	if (__ratelimit(&scmi_rx_rs))
		pr_warn("malformed message from platform (len %zu, reason %d)\n",
			len, reason);
}

/**
 * scmi_rx_message() - feed one P2A message from the transport
 * @buf: message bytes (untrusted, kernel memory)
 * @len: message length
 *
 * Context: process context.
 * Return: 0 when the message was valid (even when it was discarded as
 * late, duplicate or ghost), -EINVAL / -EMSGSIZE when it was malformed.
 */
int scmi_rx_message(const void *buf, size_t len)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_wire_msg m;
	enum scmi_ctr c;
	int transfer_id = -1;
	bool found = false;
	int ret;

	ret = scmi_wire_parse(buf, len, true, &m);
	if (ret) {
		scmi_rx_malformed(len, ret);
		return ret == SCMI_WIRE_ELONG ? -EMSGSIZE : -EINVAL;
	}

	if (m.hdr.type == SCMI_WIRE_TYPE_NOTIFICATION) {
		/*
		 * As upstream's scmi_handle_notification(): a transfer id of
		 * its own, the dump, the handlers, then scmi_rx_done.
		 */
		transfer_id = atomic_inc_return(&ag->transfer_id);
		trace_scmi_msg_dump(SCMI_DUMP_ID, SCMI_DUMP_CHANNEL,
				    m.hdr.proto_id, m.hdr.msg_id,
				    (unsigned char *)scmi_tags[m.hdr.type],
				    m.hdr.token, 0, (void *)m.payload,
				    m.payload_len);
		scmi_notify_rx(&m);
		trace_scmi_rx_done(transfer_id, m.hdr.msg_id, m.hdr.proto_id,
				   m.hdr.token, m.hdr.type);
		return 0;
	}

	spin_lock_irq(&ag->lock);
	c = scmi_rx_reply_locked(ag, &m, &transfer_id, &found);
	spin_unlock_irq(&ag->lock);

	if (c == SCMI_CTR_NR)
		return 0;
	scmi_rx_discard(&m.hdr, c, found);
	if (c == SCMI_CTR_MALFORMED) {
		if (__ratelimit(&scmi_rx_rs))
			pr_warn("reply tok=%u pt=%#x msg=%#x does not match its transfer\n",
				m.hdr.token, m.hdr.proto_id, m.hdr.msg_id);
		return -EINVAL;
	}
	return 0;
}

/**
 * scmi_core_init() - initialise the agent core (module load)
 */
void scmi_core_init(void)
{
	struct scmi_agent *ag = &scmi_agent;

	spin_lock_init(&ag->lock);
	hash_init(ag->pending);
	init_waitqueue_head(&ag->slot_wq);
	INIT_LIST_HEAD(&ag->txq);
	init_waitqueue_head(&ag->tx_wq);
	mutex_init(&ag->life_lock);
	atomic_set(&ag->transfer_id, 0);
}

/**
 * scmi_core_platform_up() - a platform connected: accept transfers
 *
 * Forget the per-token history of the previous session; tokens keep
 * increasing across sessions.
 */
void scmi_core_platform_up(void)
{
	struct scmi_agent *ag = &scmi_agent;

	spin_lock_irq(&ag->lock);
	memset(ag->tok_state, SCMI_TOK_FREE, sizeof(ag->tok_state));
	memset(ag->tok_flags, 0, sizeof(ag->tok_flags));
	ag->max_inflight = scmi_transport_max_inflight();
	ag->session++;
	ag->up = true;
	spin_unlock_irq(&ag->lock);
	scmi_ctr_inc(SCMI_CTR_PLATFORM_UP);
	trace_scmi_platform_state(true, 0);
}

/**
 * scmi_core_platform_down() - the platform went away
 *
 * Fails every pending transfer with -ECONNRESET; new transfers get
 * -ENOTCONN until a platform connects again. A transfer that already has
 * everything it waited for keeps its result: its waiter just has not run.
 */
void scmi_core_platform_down(void)
{
	struct scmi_agent *ag = &scmi_agent;
	struct scmi_xfer *xfer;
	unsigned int bkt, n = 0;
	struct hlist_node *tmp;

	spin_lock_irq(&ag->lock);
	ag->up = false;
	hash_for_each_safe(ag->pending, bkt, tmp, xfer, node) {
		if (xfer->state == SCMI_XS_DONE)
			continue;
		xfer->state = SCMI_XS_FAILED;
		xfer->err = -ECONNRESET;
		scmi_xfer_unhash_locked(ag, xfer, SCMI_TOK_DONE);
		complete(&xfer->done);
		complete(&xfer->async_done);
		n++;
	}
	spin_unlock_irq(&ag->lock);
	atomic64_add(n, &ag->ctr[SCMI_CTR_ABORTED]);
	scmi_ctr_inc(SCMI_CTR_PLATFORM_DOWN);
	wake_up_all(&ag->slot_wq);
	trace_scmi_platform_state(false, n);
}

/**
 * scmi_core_counters_reset() - zero all debug counters
 */
void scmi_core_counters_reset(void)
{
	unsigned int i;

	for (i = 0; i < SCMI_CTR_NR; i++)
		atomic64_set(&scmi_agent.ctr[i], 0);
	spin_lock_irq(&scmi_agent.lock);
	scmi_agent.inflight_max = scmi_agent.inflight;
	spin_unlock_irq(&scmi_agent.lock);
}

/**
 * scmi_xfer_simple() - one synchronous command, copying the response out
 * @proto_id: protocol id
 * @msg_id:   message id
 * @tx:       command payload (may be NULL when @tx_len is 0)
 * @tx_len:   command payload length
 * @rx:       response payload destination (after the status word)
 * @rx_min:   minimum response payload length, else -EPROTO
 * @rx_max:   size of @rx; longer responses are truncated
 * @rx_len:   bytes copied to @rx (may be NULL)
 *
 * Return: 0 or -errno as scmi_do_xfer().
 */
int scmi_xfer_simple(u8 proto_id, u8 msg_id, const void *tx, size_t tx_len,
		     void *rx, size_t rx_min, size_t rx_max, size_t *rx_len)
{
	struct scmi_xfer *xfer;
	size_t n;
	int ret;

	xfer = scmi_xfer_alloc(proto_id, msg_id, tx_len, false);
	if (!xfer)
		return -ENOMEM;
	if (tx_len)
		memcpy(xfer->tx, tx, tx_len);
	ret = scmi_do_xfer(xfer);
	if (ret)
		goto out_free;
	if (xfer->rx_len < rx_min) {
		ret = -EPROTO;
		goto out_free;
	}
	n = min(xfer->rx_len, rx_max);
	if (n)
		memcpy(rx, xfer->rx, n);
	if (rx_len)
		*rx_len = n;
out_free:
	scmi_xfer_free(xfer);
	return ret;
}

/**
 * scmi_proto_count() - check a protocol is there and read how many it has
 * @proto_id: protocol id (clock, sensor, ...)
 * @max:      most entities the agent keeps
 * @what:     what is counted, for the message when @max is exceeded
 * @num:      number of entities (bits 15:0 of PROTOCOL_ATTRIBUTES), capped
 *
 * Return: 0 or -errno as scmi_do_xfer().
 */
int scmi_proto_count(u8 proto_id, unsigned int max, const char *what,
		     unsigned int *num)
{
	__le32 v[2];
	int ret;

	ret = scmi_xfer_simple(proto_id, SCMI_MSG_PROTOCOL_VERSION, NULL, 0,
			       v, 4, 4, NULL);
	if (ret)
		return ret;
	ret = scmi_xfer_simple(proto_id, SCMI_MSG_PROTOCOL_ATTRIBUTES, NULL, 0,
			       v, 4, sizeof(v), NULL);
	if (ret)
		return ret;
	*num = le32_to_cpu(v[0]) & 0xffff;
	if (*num > max) {
		pr_warn("platform reports %u %s, using %u\n", *num, what, max);
		*num = max;
	}
	return 0;
}
