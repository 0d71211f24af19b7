/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: the backing store of a device: asynchronous reads, writes and
 * flushes behind struct kitt_backend_ops (backend.c; bdev.c for block
 * devices, file.c for regular files), and the SBC commands carried out
 * on it (sbc_io.c).
 */
#ifndef KITT_BACKEND_H
#define KITT_BACKEND_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

struct kitt_device;
struct page;

/* ------------------------------------------------------------------ */
/* backend.c: struct kitt_backend_ops, the range lock                 */
/* ------------------------------------------------------------------ */

enum kitt_io_op {
	KITT_IO_READ,
	KITT_IO_WRITE,
	KITT_IO_FLUSH,
};

/**
 * struct kitt_range - blocks a write or read-modify-write has in flight
 * @lba: first block
 * @nr: blocks
 * @rmw: a read-modify-write: overlapping writes wait for it, and it for them
 * @node: entry in dev->ranges
 */
struct kitt_range {
	u64 lba;
	u64 nr;
	bool rmw;
	struct list_head node;
};

/**
 * struct kitt_dev_io - one asynchronous read, write or cache flush
 * @dev: the device
 * @op: what to do
 * @fua: a write reaches stable storage before it completes
 * @lba: first block
 * @pages: the buffer, page aligned, @len bytes
 * @len: bytes, whole blocks (0 for a flush)
 * @end_io: called once when all is done, in any context (bio completion,
 *	a work item); @error is 0 or a negative errno
 * @range: registers a write in dev->ranges (backend.c)
 * @done: the submitter's @end_io while backend.c holds @range
 * @pending: the backend's count of parts in flight
 * @error: the first error of a part
 * @work: the file backend's work item
 */
struct kitt_dev_io {
	struct kitt_device *dev;
	enum kitt_io_op op;
	bool fua;
	bool atomic;
	u64 lba;
	struct page **pages;
	u32 len;
	void (*end_io)(struct kitt_dev_io *io, int error);
	struct kitt_range range;
	void (*done)(struct kitt_dev_io *io, int error);
	atomic_t pending;
	int error;
	struct work_struct work;
};

/**
 * struct kitt_backend_ops - a kind of backing store
 * @name: for log lines
 * @open: open dev->path and fill dev->priv, the geometry and dev->discard
 *	(dev->lock held)
 * @close: undo @open (dev->lock held; nothing in flight)
 * @submit: start @io; its end_io is called when it is done, possibly
 *	before @submit returns
 * @rw_sync: read or write @len bytes at @lba from or to @pages, and wait
 * @discard: unmap @nr blocks at @lba (best effort: thin provisioning)
 * @zeroout: make @nr blocks at @lba read as zeroes
 * @map_status: (optional) the extent that starts at @lba: set *@nr to its
 *	length in blocks (at least 1) and *@mapped to whether it holds data;
 *	backends that cannot tell leave it NULL (GET LBA STATUS then answers
 *	"mapped or unknown")
 * @capacity: the backing store's size now, in logical blocks (it may have
 *	grown or shrunk since open: nothing tells a holder of a resize)
 * @set_capacity: (optional) make the backing store @bytes long; backends
 *	that cannot (a block device is resized by its owner) leave it NULL
 */
struct kitt_backend_ops {
	const char *name;
	int (*open)(struct kitt_device *dev);
	void (*close)(struct kitt_device *dev);
	void (*submit)(struct kitt_dev_io *io);
	int (*rw_sync)(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
		       struct page **pages, u32 len);
	int (*discard)(struct kitt_device *dev, u64 lba, u64 nr);
	int (*zeroout)(struct kitt_device *dev, u64 lba, u64 nr);
	int (*map_status)(struct kitt_device *dev, u64 lba, u64 *nr, bool *mapped);
	u64 (*capacity)(struct kitt_device *dev);
	int (*set_capacity)(struct kitt_device *dev, u64 bytes);
};

extern const struct kitt_backend_ops kitt_bdev_ops;
extern const struct kitt_backend_ops kitt_file_ops;

/* Logical block sizes kitt serves: one block never spans pages. */
#define KITT_MIN_BLOCK_SIZE	512
#define KITT_MAX_BLOCK_SIZE	PAGE_SIZE

int kitt_backend_init(void);
void kitt_backend_exit(void);
void kitt_backend_dev_init(struct kitt_device *dev);
int kitt_backend_open(struct kitt_device *dev);
void kitt_backend_close(struct kitt_device *dev);
void kitt_backend_submit(struct kitt_dev_io *io);
int kitt_backend_rw_sync(struct kitt_device *dev, enum kitt_io_op op, bool fua, u64 lba,
			 struct page **pages, u32 len);
int kitt_backend_discard(struct kitt_device *dev, u64 lba, u64 nr);
int kitt_backend_zeroout(struct kitt_device *dev, u64 lba, u64 nr);
int kitt_backend_map_status(struct kitt_device *dev, u64 lba, u64 *nr, bool *mapped);
bool kitt_backend_capacity_changed(struct kitt_device *dev);
int kitt_backend_can_resize(struct kitt_device *dev, u64 bytes);
int kitt_backend_set_capacity(struct kitt_device *dev, u64 bytes);
void kitt_range_lock(struct kitt_device *dev, struct kitt_range *r, u64 lba, u64 nr, bool rmw);
void kitt_range_unlock(struct kitt_device *dev, struct kitt_range *r);
extern struct workqueue_struct *kitt_file_wq;

/* Largest READ/WRITE kitt takes in one command (VPD B0 reports it). */
#define KITT_MAX_XFER_BYTES	SZ_1M

/* sbc_io.c: SBC commands carried out on the backend; page buffers */
struct kitt_scsi_cmd;
struct page **kitt_pages_alloc(u32 len, unsigned int *nr);
void kitt_pages_free(struct page **pages, unsigned int nr);
void kitt_sbc_io_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			struct page **data);
void kitt_sbc_io_write_verify(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			      struct page **data);
void kitt_sbc_io_compare_and_write(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
				   struct page **data);
void kitt_sbc_io_orwrite(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			 struct page **data);
void kitt_sbc_io_write_same(struct kitt_device *dev, struct kitt_scsi_cmd *cmd,
			    struct page **data);
void kitt_sbc_io_unmap(struct kitt_device *dev, struct kitt_scsi_cmd *cmd, const u8 *param);
void kitt_pages_copy_from(struct page **pages, u32 offset, void *dst, u32 len);

#endif /* KITT_BACKEND_H */
