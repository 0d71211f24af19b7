/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt fuzzing: <scsi/scsi.h>, which <scsi/iscsi_proto.h> includes. Of
 * it the iSCSI header needs only <scsi/scsi_proto.h> (struct scsi_lun,
 * SCSI_MAX_VARLEN_CDB_SIZE), the kernel's own like iscsi_proto.h.
 */
#include <scsi/scsi_proto.h>
