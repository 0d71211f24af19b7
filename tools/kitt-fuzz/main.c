// SPDX-License-Identifier: GPL-2.0
/*
 * kitt-fuzz - throw hostile iSCSI initiators at kitt.
 *
 *   kitt-fuzz random --seed N --time SECONDS [--conns K] [--target IQN] ...
 *   kitt-fuzz scenario NAME [options]
 *   kitt-fuzz scenario list
 *
 * `random` runs K worker processes until the time is up; worker w runs
 * connections w, w + K, w + 2K, ..., each scripted by a PRNG seeded with
 * (seed, connection number): `--replay N` runs connection N alone, with
 * its PDUs traced (-vvv), and sends the same PDUs again. It exits 0 unless
 * the target did something this side can tell is wrong: a malformed or
 * unexpected PDU, a broken sequence number, a ping left unanswered on a
 * live connection, or a failed final check (log in, write, read back).
 *
 * `scenario` runs one deterministic hostile scenario and prints PASS or
 * FAIL with what it saw (see scenario.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kitt-fuzz.h"

#define DEF_PORTAL	"127.0.0.1:3260"
#define DEF_TARGET	"iqn.2024-01.org.kitt:fuzz"
#define DEF_INITIATOR	"iqn.2024-01.org.kitt:fuzzer"

static void usage(FILE *f)
{
	fprintf(f,
"usage: kitt-fuzz random --seed N --time SECONDS [options]\n"
"       kitt-fuzz scenario NAME [options]     (kitt-fuzz scenario list)\n"
"\n"
"common options:\n"
"  --portal ADDR:PORT     target portal (default " DEF_PORTAL ")\n"
"  --target IQN           target name (default " DEF_TARGET ")\n"
"  --initiator IQN        our InitiatorName (default " DEF_INITIATOR ")\n"
"  --chap USER:SECRET     CHAP MD5 credentials\n"
"  -v                     more output (-vv actions, -vvv every PDU)\n"
"random:\n"
"  --seed N               PRNG seed (printed; the same seed replays the same scripts)\n"
"  --time SECONDS         run time (default 60)\n"
"  --conns K              connections at once (default 8)\n"
"  --chap-target IQN      a second target that requires --chap\n"
"  --replay N             run connection N only\n"
"  --no-flood             leave out the peers that stop reading\n"
"  --no-final-check       skip the final login/write/read check\n"
"scenario:\n"
"  --time S --bound S --depth N --imm-limit N --per-host N --max-login N\n"
"  --conns N --hold S --mem-limit MB --max-conns N --idle S --max-disc N\n"
"                         (see kitt-fuzz scenario list)\n");
}

static struct stats *stats_new(void)
{
	void *p = mmap(NULL, sizeof(struct stats), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static const char *const st_names[ST_NR] = {
	[ST_CONNS] = "connections", [ST_LOGIN_OK] = "logins ok", [ST_LOGIN_FAIL] = "logins refused",
	[ST_LOGIN_ABUSE] = "abusive logins", [ST_PDUS] = "PDUs sent", [ST_BYTES] = "bytes sent",
	[ST_CLOSED_BY_TARGET] = "closed by the target", [ST_MISBEHAVE] = "target misbehaviours",
	[ST_HANGS] = "unanswered pings", [ST_IO_OK] = "final check I/Os", [ST_PINGS_OK] = "pings answered",
};

static const char *const rx_names[64] = {
	[OP_NOOP_IN] = "NOP-In", [OP_SCSI_RSP] = "SCSI Response", [OP_TMF_RSP] = "TMF Response",
	[OP_LOGIN_RSP] = "Login Response", [OP_TEXT_RSP] = "Text Response",
	[OP_DATA_IN] = "Data-In", [OP_LOGOUT_RSP] = "Logout Response", [OP_R2T] = "R2T",
	[OP_ASYNC] = "Async Message", [OP_REJECT] = "Reject",
};

static void stats_print(const struct stats *st)
{
	unsigned int i, j;

	printf("counts:\n");
	for (i = 0; i < ST_NR; i++)
		printf("  %-24s %llu\n", st_names[i], (unsigned long long)st->v[i]);
	printf("actions:\n");
	for (i = 0; i < NR_ACTIONS; i++)
		if (action_names[i] && st->actions[i])
			printf("  %-24s %llu\n", action_names[i], (unsigned long long)st->actions[i]);
	printf("received:\n");
	for (i = 0; i < 64; i++)
		if (st->rx_op[i])
			printf("  %-24s %llu\n", rx_names[i] ? rx_names[i] : "?",
			       (unsigned long long)st->rx_op[i]);
	printf("rejects by reason:");
	for (i = 0; i < 16; i++)
		if (st->reject[i])
			printf(" 0x%02x:%llu", i, (unsigned long long)st->reject[i]);
	printf("\nlogin failures by status:");
	for (i = 0; i < 4; i++)
		for (j = 0; j < 16; j++)
			if (st->login_status[i][j])
				printf(" 0x%02x%02x:%llu", i, j,
				       (unsigned long long)st->login_status[i][j]);
	printf("\n");
}

/* After the run: a clean login, a write and a read back, a logout. */
static int final_check(const struct fuzz_cfg *cfg, struct stats *st)
{
	struct login_opts o = { .initiator = cfg->initiator, .target = cfg->target,
				.timeout_ms = 30000 };
	struct conn *c = conn_new(~0ULL, st, cfg->verbose);
	uint8_t *w = malloc(65536), *r = malloc(65536);
	uint64_t blocks = 0;
	uint32_t bs = 0, i, lba;
	int ret = -1, st1, st2;

	if (!c || !w || !r)
		goto out;
	if (conn_open(c, &cfg->portal, cfg->plen, NULL, 0)) {
		printf("final check: cannot connect: %s\n", strerror(c->close_err));
		goto out;
	}
	ret = login(c, &o);
	if (ret) {
		printf("final check: login failed (%d, status 0x%04x)\n", ret, ret > 0 ? ret : 0);
		ret = -1;
		goto out;
	}
	ret = -1;
	if (scsi_capacity(c, &blocks, &bs, 30000) || !bs || bs > 65536 || blocks * bs < 65536) {
		printf("final check: READ CAPACITY failed\n");
		goto out;
	}
	for (i = 0; i < 65536; i++)
		w[i] = (uint8_t)(i * 7 + cfg->seed);
	lba = (uint32_t)((cfg->seed * 977) % (blocks - 65536 / bs + 1));
	st1 = scsi_rw(c, true, lba, 65536 / bs, bs, w, 30000);
	st2 = scsi_rw(c, false, lba, 65536 / bs, bs, r, 30000);
	if (st1 || st2 || memcmp(w, r, 65536)) {
		printf("final check: write/read at LBA %u: status %d/%d, data %s\n", lba, st1, st2,
		       memcmp(w, r, 65536) ? "differs" : "same");
		goto out;
	}
	stat_add(st, ST_IO_OK, 2);
	logout_send(c, 0, true);
	ret = 0;
	printf("final check: login, 64 KiB written and read back at LBA %u, logout: ok\n", lba);
out:
	conn_free(c);
	free(w);
	free(r);
	return ret;
}

static int run_random(struct fuzz_cfg *cfg, int conns, double secs, long long replay,
		      bool final)
{
	struct stats *st = stats_new();
	pid_t *pids = calloc(conns, sizeof(pid_t));
	double start = now_s(), hard;
	int i, alive, bad = 0, killed = 0;

	if (!st || !pids) {
		perror("kitt-fuzz");
		return 2;
	}
	cfg->deadline = start + secs;
	printf("kitt-fuzz: seed %llu, %d connections at once, %.0f s, target %s%s%s\n",
	       (unsigned long long)cfg->seed, replay >= 0 ? 1 : conns, secs, cfg->target,
	       cfg->chap_target ? ", CHAP target " : "", cfg->chap_target ? cfg->chap_target : "");
	fflush(stdout);
	if (replay >= 0) {
		fuzz_conn(cfg, (uint64_t)replay, st);
		goto report;
	}
	for (i = 0; i < conns; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			pids[i] = 0;
			continue;
		}
		if (!pids[i]) {
			uint64_t n;

			for (n = i; now_s() < cfg->deadline; n += conns)
				fuzz_conn(cfg, n, st);
			_exit(0);
		}
	}
	/* Our own waits are bounded; a worker that outlives this is stuck on the target. */
	hard = cfg->deadline + 90;
	do {
		alive = 0;
		for (i = 0; i < conns; i++) {
			if (pids[i] && waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			if (pids[i])
				alive++;
		}
		if (alive)
			sleep_ms(200);
	} while (alive && now_s() < hard);
	for (i = 0; i < conns; i++) {
		if (!pids[i])
			continue;
		fprintf(stderr, "kitt-fuzz: worker %d still running %.0f s after the end: killed\n",
			i, now_s() - cfg->deadline);
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
		killed++;
	}
report:
	printf("kitt-fuzz: ran %.1f s\n", now_s() - start);
	if (final && final_check(cfg, st))
		bad++;
	stats_print(st);
	if (st->v[ST_MISBEHAVE] || st->v[ST_HANGS] || killed)
		bad++;
	printf("kitt-fuzz: seed %llu: %s (%llu misbehaviours, %llu unanswered pings, %d stuck workers)\n",
	       (unsigned long long)cfg->seed, bad ? "FAIL" : "PASS",
	       (unsigned long long)st->v[ST_MISBEHAVE], (unsigned long long)st->v[ST_HANGS], killed);
	free(pids);
	return bad ? 1 : 0;
}

static int split_chap(const char *arg, const char **user, const char **secret)
{
	static char copy[1024];
	char *colon;

	if (strlen(arg) >= sizeof(copy))
		return -1;
	strcpy(copy, arg);
	colon = strchr(copy, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	*user = copy;
	*secret = colon + 1;
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_SEED = 256, O_TIME, O_CONNS, O_TARGET, O_PORTAL, O_INIT, O_CHAP, O_CHAP_TARGET,
	       O_REPLAY, O_NO_FLOOD, O_NO_FINAL, O_BOUND, O_DEPTH, O_IMM, O_PER_HOST, O_MAX_LOGIN,
	       O_HOLD, O_MEM, O_MAX_CONNS, O_IDLE, O_MAX_DISC };
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, O_SEED },
		{ "time", required_argument, NULL, O_TIME },
		{ "conns", required_argument, NULL, O_CONNS },
		{ "target", required_argument, NULL, O_TARGET },
		{ "portal", required_argument, NULL, O_PORTAL },
		{ "initiator", required_argument, NULL, O_INIT },
		{ "chap", required_argument, NULL, O_CHAP },
		{ "chap-target", required_argument, NULL, O_CHAP_TARGET },
		{ "replay", required_argument, NULL, O_REPLAY },
		{ "no-flood", no_argument, NULL, O_NO_FLOOD },
		{ "no-final-check", no_argument, NULL, O_NO_FINAL },
		{ "bound", required_argument, NULL, O_BOUND },
		{ "depth", required_argument, NULL, O_DEPTH },
		{ "imm-limit", required_argument, NULL, O_IMM },
		{ "per-host", required_argument, NULL, O_PER_HOST },
		{ "max-login", required_argument, NULL, O_MAX_LOGIN },
		{ "hold", required_argument, NULL, O_HOLD },
		{ "max-conns", required_argument, NULL, O_MAX_CONNS },
		{ "idle", required_argument, NULL, O_IDLE },
		{ "max-disc", required_argument, NULL, O_MAX_DISC },
		{ "mem-limit", required_argument, NULL, O_MEM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *portal = DEF_PORTAL, *mode;
	struct fuzz_cfg fc = { .target = DEF_TARGET, .initiator = DEF_INITIATOR };
	struct scen_cfg sc = { .target = DEF_TARGET, .initiator = DEF_INITIATOR, .time = 30,
			       .bound = 30, .depth = 32, .imm_limit = 16, .per_host = 16,
			       .max_login = 64, .conns = 40, .hold = 30, .mem_limit_mb = 64 };
	double secs = 60;
	long long replay = -1;
	int conns = 8, o, verbose = 0;
	bool final = true, seeded = false, time_set = false;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	mode = argv[1];
	if (!strcmp(mode, "-h") || !strcmp(mode, "--help")) {
		usage(stdout);
		return 0;
	}
	/* Options after the mode word; getopt sees argv[1] as its argv[0]. */
	argc--;
	argv++;
	while ((o = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (o) {
		case 'v': verbose++; break;
		case O_SEED: fc.seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case O_TIME: secs = atof(optarg); sc.time = secs; time_set = true; break;
		case O_CONNS: conns = atoi(optarg); sc.conns = conns; break;
		case O_TARGET: fc.target = sc.target = optarg; break;
		case O_PORTAL: portal = optarg; break;
		case O_INIT: fc.initiator = sc.initiator = optarg; break;
		case O_CHAP:
			if (split_chap(optarg, &fc.chap_user, &fc.chap_secret)) {
				fprintf(stderr, "kitt-fuzz: --chap USER:SECRET\n");
				return 2;
			}
			sc.chap_user = fc.chap_user;
			sc.chap_secret = fc.chap_secret;
			break;
		case O_CHAP_TARGET: fc.chap_target = optarg; break;
		case O_REPLAY: replay = atoll(optarg); break;
		case O_NO_FLOOD: fc.no_flood = true; break;
		case O_NO_FINAL: final = false; break;
		case O_BOUND: sc.bound = atof(optarg); break;
		case O_DEPTH: sc.depth = atoi(optarg); break;
		case O_IMM: sc.imm_limit = atoi(optarg); break;
		case O_PER_HOST: sc.per_host = atoi(optarg); break;
		case O_MAX_LOGIN: sc.max_login = atoi(optarg); break;
		case O_HOLD: sc.hold = atof(optarg); break;
		case O_MAX_CONNS: sc.max_conns = atoi(optarg); break;
		case O_IDLE: sc.idle = atof(optarg); break;
		case O_MAX_DISC: sc.max_disc = atoi(optarg); break;
		case O_MEM: sc.mem_limit_mb = atol(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (parse_portal(portal, &fc.portal, &fc.plen)) {
		fprintf(stderr, "kitt-fuzz: bad portal %s\n", portal);
		return 2;
	}
	fc.loopback = fc.portal.ss_family == AF_INET &&
		      (ntohl(((struct sockaddr_in *)&fc.portal)->sin_addr.s_addr) >> 24) == 127;
	sc.portal = fc.portal;
	sc.plen = fc.plen;
	fc.verbose = sc.verbose = verbose;

	if (!strcmp(mode, "random")) {
		if (!seeded) {
			fc.seed = (uint64_t)getpid() ^ (uint64_t)(now_s() * 1e6);
			fprintf(stderr, "kitt-fuzz: no --seed given, using %llu\n",
				(unsigned long long)fc.seed);
		}
		if (fc.chap_target && !fc.chap_user) {
			fprintf(stderr, "kitt-fuzz: --chap-target needs --chap\n");
			return 2;
		}
		if (replay >= 0 && !verbose)
			fc.verbose = 1;
		if (conns < 1 || conns > 512 || secs <= 0) {
			fprintf(stderr, "kitt-fuzz: --conns 1..512, --time > 0\n");
			return 2;
		}
		return run_random(&fc, conns, secs, replay, final);
	}
	if (!strcmp(mode, "scenario")) {
		if (optind >= argc) {
			usage(stderr);
			return 2;
		}
		if (!strcmp(argv[optind], "list")) {
			list_scenarios(stdout);
			return 0;
		}
		if (!time_set)
			sc.time = 0;	/* each scenario's own default */
		return run_scenario(argv[optind], &sc);
	}
	usage(stderr);
	return 2;
}
