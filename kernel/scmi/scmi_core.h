/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socbpf SCMI agent: internal interfaces shared by the module's files.
 *
 * One agent instance talks to one platform over the /dev/scmi-platform
 * character device (see scmi_transport.c).  The core (scmi_xfer.c) owns
 * tokens, the pending-transfer hash and the per-transfer state machine;
 * protocols (base, sensor, clock) build on scmi_do_xfer().
 */
#ifndef _SOCBPF_SCMI_CORE_H
#define _SOCBPF_SCMI_CORE_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <socbpf/scmi_wire.h>

#define SCMI_DRV_NAME		"socbpf_scmi"
#define SCMI_MAX_INFLIGHT	256

/* Debug counters, in the spirit of upstream's SCMI debug counters. */
enum scmi_ctr {
	SCMI_CTR_SENT_OK,
	SCMI_CTR_SENT_FAIL,
	SCMI_CTR_RESPONSE_OK,
	SCMI_CTR_DRESP_OK,
	SCMI_CTR_TIMEOUTS,
	SCMI_CTR_ERRORS,
	SCMI_CTR_GHOSTS,
	SCMI_CTR_OUT_OF_ORDER,
	SCMI_CTR_OOO_RESP_DROPPED,
	SCMI_CTR_DUPLICATES,
	SCMI_CTR_LATE,
	SCMI_CTR_UNEXPECTED_DRESP,
	SCMI_CTR_MALFORMED,
	SCMI_CTR_NOTIF_OK,
	SCMI_CTR_NOTIF_DROPPED,
	SCMI_CTR_NOTIF_UNHANDLED,
	SCMI_CTR_ABORTED,
	SCMI_CTR_BUSY,
	SCMI_CTR_PLATFORM_UP,
	SCMI_CTR_PLATFORM_DOWN,
	SCMI_CTR_TRIP_REFUSED,
	SCMI_CTR_NR
};

extern const char * const scmi_ctr_names[SCMI_CTR_NR];

/* Per-transfer states */
enum scmi_xfer_state {
	SCMI_XS_SENT,		/* command queued, nothing received yet */
	SCMI_XS_RESP_OK,	/* response received, delayed one pending */
	SCMI_XS_DONE,		/* everything expected has been received */
	SCMI_XS_FAILED,		/* transport failure (@err set) */
};

/**
 * struct scmi_xfer - one SCMI transfer (command, response, delayed response)
 * @node:        link in the pending hash, keyed by @token
 * @transfer_id: monotonically increasing id (tracepoints)
 * @token:       10-bit token carried in the header (tracepoints: seq)
 * @session:     platform session the transfer was started in
 * @proto_id:    protocol id
 * @msg_id:      message id
 * @async:       a delayed response is expected after a successful response
 * @state:       enum scmi_xfer_state, protected by the agent lock
 * @err:         transport error when @state is SCMI_XS_FAILED
 * @status:      SCMI status of the response
 * @dstatus:     SCMI status of the delayed response
 * @tx_len:      command payload length
 * @rx_len:      response payload length (after the status word)
 * @drx_len:     delayed response payload length (after the status word)
 * @tx:          command payload
 * @rx:          response payload
 * @drx:         delayed response payload
 * @done:        completed when the response (or a failure) arrives
 * @async_done:  completed when the delayed response (or a failure) arrives
 */
struct scmi_xfer {
	struct hlist_node node;
	int transfer_id;
	u16 token;
	u32 session;
	u8 proto_id;
	u8 msg_id;
	bool async;
	u8 state;
	int err;
	s32 status;
	s32 dstatus;
	size_t tx_len;
	size_t rx_len;
	size_t drx_len;
	u8 tx[SCMI_WIRE_MAX_PAYLOAD];
	u8 rx[SCMI_WIRE_MAX_PAYLOAD];
	u8 drx[SCMI_WIRE_MAX_PAYLOAD];
	struct completion done;
	struct completion async_done;
};

/* What the agent remembers about a token once its transfer has ended. */
enum scmi_tok_state {
	SCMI_TOK_FREE,		/* not used in this session since last reuse */
	SCMI_TOK_INFLIGHT,
	SCMI_TOK_DONE,
	SCMI_TOK_TIMEDOUT,
};

#define SCMI_TOKF_ASYNC		BIT(0)	/* transfer expected a delayed resp */
#define SCMI_TOKF_RESP		BIT(1)	/* a response was received */
#define SCMI_TOKF_DRESP		BIT(2)	/* a delayed response was received */
#define SCMI_TOKF_RESP_IMPLIED	BIT(3)	/* dresp came first, resp implied */
#define SCMI_TOKF_DRESP_WANTED	BIT(4)	/* response said a dresp follows */

/**
 * struct scmi_base_info - what base protocol discovery found
 * @version:       base protocol version
 * @num_protocols: protocols implemented besides base
 * @num_agents:    agents the platform knows
 * @impl_ver:      implementation version
 * @vendor:        vendor name
 * @sub_vendor:    sub-vendor name
 * @protocols:     protocol ids listed by DISCOVER_LIST_PROTOCOLS
 */
struct scmi_base_info {
	u32 version;
	u32 num_protocols;
	u32 num_agents;
	u32 impl_ver;
	char vendor[SCMI_NAME_LEN + 1];
	char sub_vendor[SCMI_NAME_LEN + 1];
	u8 protocols[32];
};

struct scmi_sensor {
	u32 id;
	u32 attr_low;
	u32 attr_high;
	u8 type;
	s8 scale;
	bool async;
	u8 num_trips;
	char name[SCMI_NAME_LEN + 1];
	atomic64_t trip_events;
	atomic64_t update_events;
	atomic64_t last_update;
};

#define SCMI_CLOCK_MAX_RATES	16

struct scmi_clock {
	u32 id;
	bool enabled;
	bool range;
	u32 num_rates;
	u64 rates[SCMI_CLOCK_MAX_RATES];	/* discrete, or min/max/step */
	char name[SCMI_NAME_LEN + 1];
	struct dentry *dir;
};

/**
 * struct scmi_agent - the single agent instance of this module
 * @lock:          protects the fields below marked (L)
 * @pending:       (L) hash of transfers in flight, keyed by token
 * @tok_busy:      (L) bitmap of tokens in flight
 * @tok_state:     (L) enum scmi_tok_state per token
 * @tok_flags:     (L) SCMI_TOKF_* per token
 * @next_token:    (L) where the next token search starts
 * @inflight:      (L) transfers in flight
 * @inflight_max:  (L) high-water mark of @inflight
 * @max_inflight:  limit set by the transport
 * @up:            (L) platform connected
 * @session:       (L) number of the current platform connection
 * @dying:         module is being removed
 * @slot_wq:       waiters for a free in-flight slot
 * @txq:           (L) A2P messages waiting for the platform to read them
 * @txq_len:       (L) entries in @txq
 * @tx_wq:         platform readers
 * @transfer_id:   source of transfer ids
 * @ctr:           debug counters
 * @life_lock:     serialises platform up/down and protocol registration
 * @up_work:       discovery after the platform connects
 * @pdev:          parent device of hwmon
 * @dbg:           debugfs root
 * @base:          base discovery results
 * @nr_sensors:    sensors discovered
 * @sensors:       array of @nr_sensors
 * @nr_clocks:     clocks discovered
 * @clocks:        array of @nr_clocks
 * @hwmon:         hwmon device registered for the sensors
 * @clk_dir:       debugfs directory of the clocks
 * @ready:         discovery finished (1) or failed (-errno), 0 running
 */
struct scmi_agent {
	spinlock_t lock;	/* see (L) above */
	DECLARE_HASHTABLE(pending, 6);
	unsigned long tok_busy[BITS_TO_LONGS(SCMI_WIRE_NR_TOKENS)];
	u8 tok_state[SCMI_WIRE_NR_TOKENS];
	u8 tok_flags[SCMI_WIRE_NR_TOKENS];
	u16 next_token;
	unsigned int inflight;
	unsigned int inflight_max;
	unsigned int max_inflight;
	bool up;
	bool dying;
	u32 session;
	wait_queue_head_t slot_wq;
	struct list_head txq;
	unsigned int txq_len;
	wait_queue_head_t tx_wq;
	atomic_t transfer_id;
	atomic64_t ctr[SCMI_CTR_NR];

	struct mutex life_lock;	/* up/down, protocol state */
	struct work_struct up_work;
	struct platform_device *pdev;
	struct dentry *dbg;
	struct scmi_base_info base;
	unsigned int nr_sensors;
	struct scmi_sensor *sensors;
	unsigned int nr_clocks;
	struct scmi_clock *clocks;
	struct device *hwmon;
	struct dentry *clk_dir;
	int ready;
};

extern struct scmi_agent scmi_agent;
extern unsigned int scmi_timeout_ms;
extern unsigned int scmi_dresp_timeout_ms;

static inline void scmi_ctr_inc(enum scmi_ctr c)
{
	atomic64_inc(&scmi_agent.ctr[c]);
}

/* scmi_xfer.c */
struct scmi_xfer *scmi_xfer_alloc(u8 proto_id, u8 msg_id, size_t tx_len,
				  bool async);
void scmi_xfer_free(struct scmi_xfer *xfer);
int scmi_xfer_cache_create(void);
void scmi_xfer_cache_destroy(void);
int scmi_do_xfer(struct scmi_xfer *xfer);
int scmi_proto_count(u8 proto_id, unsigned int max, const char *what,
		     unsigned int *num);
int scmi_xfer_simple(u8 proto_id, u8 msg_id, const void *tx, size_t tx_len,
		     void *rx, size_t rx_min, size_t rx_max, size_t *rx_len);
int scmi_rx_message(const void *buf, size_t len);
void scmi_rx_malformed(size_t len, int reason);
void scmi_core_init(void);
void scmi_core_platform_up(void);
void scmi_core_platform_down(void);
void scmi_core_counters_reset(void);

/* scmi_transport.c */
int scmi_transport_init(void);
void scmi_transport_exit(void);
int scmi_transport_queue(const struct scmi_wire_hdr *hdr, const void *payload,
			 size_t len, u32 session);
void scmi_transport_purge(void);
unsigned int scmi_transport_max_inflight(void);

/* scmi_notify.c */
typedef void (*scmi_notify_fn)(u8 proto_id, u8 evt_id, const void *payload,
			       size_t len, void *priv);
int scmi_notify_register(u8 proto_id, u8 evt_id, scmi_notify_fn fn,
			 void *priv);
void scmi_notify_unregister(u8 proto_id, u8 evt_id);
void scmi_notify_rx(const struct scmi_wire_msg *msg);
void scmi_notify_flush(void);
int scmi_notify_init(void);
void scmi_notify_exit(void);
void scmi_notify_show(struct seq_file *s);

/* scmi_base.c */
int scmi_base_discover(struct scmi_base_info *base);
bool scmi_base_has_protocol(const struct scmi_base_info *base, u8 proto);

/* scmi_sensor.c */
int scmi_sensor_discover(struct scmi_agent *ag);
void scmi_sensor_teardown(struct scmi_agent *ag);
int scmi_sensor_read(u32 id, bool async, s64 *value);
int scmi_sensor_trip_notify(u32 id, bool enable);

/* scmi_hwmon.c */
int scmi_hwmon_register(struct scmi_agent *ag);
void scmi_hwmon_unregister(struct scmi_agent *ag);
void scmi_hwmon_trip(struct scmi_agent *ag, unsigned int idx);

/* scmi_clock.c */
int scmi_clock_discover(struct scmi_agent *ag);
void scmi_clock_teardown(struct scmi_agent *ag);
int scmi_clock_rate_get(u32 id, u64 *rate);
int scmi_clock_rate_set(u32 id, u64 rate, bool async, u64 *done_rate);

/* scmi_debugfs.c */
void scmi_debugfs_init(struct scmi_agent *ag);
void scmi_debugfs_exit(struct scmi_agent *ag);

/* scmi_main.c */
void scmi_platform_connected(void);
void scmi_platform_disconnected(void);

#endif /* _SOCBPF_SCMI_CORE_H */
