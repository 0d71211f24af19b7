// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: text.c - the key=value tokenizer, the value parsers and
 * the text builder.
 *
 * Input: two bytes of sizes (the answer buffer, the binary buffer), then
 * a text segment as it comes off the wire. Every pair found is parsed as
 * a number, a boolean, a binary value and a list, and written back into
 * an answer buffer, which must then read back the same.
 */
#include "fuzz.h"

static void fz_text_values(const struct kitt_text_pair *pair, u32 bin_size)
{
	const char *pos, *item;
	u32 ilen, u;
	u64 num;
	bool yes;
	u8 *bin;
	int ret;

	ret = kitt_text_parse_number(pair->val, &num);
	FZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE, "parse_number %d", ret);
	ret = kitt_text_parse_u32(pair->val, 512, KITT_MAX_DSL, &u);
	FZ_CHECK(ret || (u >= 512 && u <= KITT_MAX_DSL), "parse_u32 %u", u);
	FZ_CHECK(!kitt_text_parse_bool(pair->val, &yes) ==
		 (!strcmp(pair->val, "Yes") || !strcmp(pair->val, "No")), "parse_bool");

	bin = malloc(bin_size ? bin_size : 1);
	if (!bin)
		abort();
	ret = kitt_text_parse_binary(pair->val, bin, bin_size);
	FZ_CHECK(ret == -EINVAL || ret == -EOVERFLOW || (ret >= 1 && (u32)ret <= bin_size),
		 "parse_binary %d into %u", ret, bin_size);
	free(bin);

	/* a list: members are non-empty and inside the value */
	pos = pair->val;
	while ((ret = kitt_text_list_next(&pos, &item, &ilen)) == 1) {
		FZ_CHECK(ilen > 0 && item >= pair->val &&
			 item + ilen <= pair->val + pair->val_len, "list member");
		FZ_CHECK(pos > item && pos <= pair->val + pair->val_len, "list position");
	}
	FZ_CHECK(ret == 0 || ret == -EINVAL, "list_next %d", ret);
	(void)kitt_text_list_has(pair->val, "CRC32C");
	(void)kitt_text_value_max(pair->key);
}

/* Write the pair into @tb and read it back from there. */
static void fz_text_echo(struct kitt_text_buf *tb, const struct kitt_text_pair *pair,
			 bool formatted)
{
	u32 before = tb->len;
	struct kitt_text_cursor c;
	struct kitt_text_pair back;
	int ret;

	if (formatted)
		ret = kitt_text_addf(tb, pair->key, "%s", pair->val);
	else
		ret = kitt_text_add(tb, pair->key, pair->val);
	FZ_CHECK(tb->len <= tb->size, "text buffer %u of %u", tb->len, tb->size);
	if (ret) {
		FZ_CHECK(ret == -ENOSPC && tb->overflow && tb->len == before,
			 "failed add %d moved the buffer", ret);
		return;
	}
	FZ_CHECK(tb->len == before + pair->key_len + pair->val_len + 2, "added length");
	kitt_text_cursor_init(&c, tb->buf + before, tb->len - before);
	ret = kitt_text_next(&c, &back);
	FZ_CHECK(ret == 1 && !strcmp(back.key, pair->key) && back.val_len == pair->val_len &&
		 !memcmp(back.val, pair->val, pair->val_len), "pair does not read back (%d)", ret);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair pair, dup;
	struct kitt_text_buf tb;
	u32 len, out_size, bin_size, pos, n = 0;
	char *text, *out;
	struct fz f;
	int ret, dret;

	fz_init(&f, data, size);
	out_size = fz_u8(&f) * 64;
	bin_size = fz_u8(&f) * 5;
	text = (char *)fz_rest(&f, &len);
	out = malloc(out_size ? out_size : 1);
	if (!out)
		abort();
	kitt_text_buf_init(&tb, out_size ? out : NULL, out_size);

	kitt_text_cursor_init(&c, text, len);
	for (;;) {
		pos = c.pos;
		ret = kitt_text_next(&c, &pair);
		if (ret != 1) {
			FZ_CHECK(c.pos == pos, "cursor moved on %d", ret);
			break;
		}
		n++;
		FZ_CHECK(c.pos > pos && c.pos <= len, "cursor %u -> %u of %u", pos, c.pos, len);
		FZ_CHECK(pair.offset == pos, "offset");
		FZ_CHECK(pair.key_len >= 1 && pair.key_len <= KITT_TEXT_KEY_MAX &&
			 strlen(pair.key) == pair.key_len, "key length %u", pair.key_len);
		FZ_CHECK(pair.val >= text && pair.val + pair.val_len < text + len &&
			 !pair.val[pair.val_len] && strlen(pair.val) == pair.val_len, "value");
		FZ_CHECK(pair.val_len <= kitt_text_value_max(pair.key), "value length %u",
			 pair.val_len);
		fz_text_values(&pair, bin_size);
		fz_text_echo(&tb, &pair, n & 1);
	}
	FZ_CHECK(ret == 0 || ret == -EAGAIN || ret == -EINVAL || ret == -ENAMETOOLONG ||
		 ret == -E2BIG || ret == -EILSEQ, "text_next %d", ret);

	dret = kitt_text_find_duplicate(text, len, &dup);
	FZ_CHECK(dret == 0 || dret == -EEXIST || dret == -E2BIG || dret == ret,
		 "find_duplicate %d after text_next %d", dret, ret);
	if (!dret)
		FZ_CHECK(!ret, "find_duplicate passed what text_next refused (%d)", ret);
	if (dret == -EEXIST)
		FZ_CHECK(dup.offset < len && dup.key_len, "duplicate");

	fz_check_text(tb.buf, tb.len);
	free(out);
	free(text);
	return 0;
}
