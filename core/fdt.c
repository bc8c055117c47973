#include "core/fdt.h"

#include "core/str.h"

/* Header field offsets (Devicetree Specification v0.4, section 5.2). */
enum {
	HDR_MAGIC = 0,
	HDR_TOTALSIZE = 4,
	HDR_OFF_STRUCT = 8,
	HDR_OFF_STRINGS = 12,
	HDR_OFF_RSVMAP = 16,
	HDR_VERSION = 20,
	HDR_LAST_COMP = 24,
	HDR_SIZE_STRINGS = 32,
	HDR_SIZE_STRUCT = 36,
};

/* One decoded structure-block token. */
struct token {
	uint32_t tag;
	uint32_t next;          /* offset of the following token */
	const char *name;       /* BEGIN_NODE: node name; PROP: property name */
	const uint8_t *val;     /* PROP only */
	uint32_t len;           /* PROP only */
};

const char *fdt_strerror(enum fdt_status st)
{
	switch (st) {
	case FDT_OK: return "ok";
	case FDT_ERR_TRUNCATED: return "truncated";
	case FDT_ERR_BADMAGIC: return "bad magic";
	case FDT_ERR_BADVERSION: return "unsupported version";
	case FDT_ERR_BADLAYOUT: return "bad header layout";
	case FDT_ERR_BADSTRUCTURE: return "bad structure block";
	case FDT_ERR_TOODEEP: return "nodes nested too deeply";
	case FDT_ERR_NOTFOUND: return "not found";
	case FDT_ERR_BADOFFSET: return "bad node offset";
	case FDT_ERR_BADVALUE: return "bad property value";
	}
	return "?";
}

/* Bounded search for a NUL; returns its index or `max` when there is none. */
static size_t bounded_strlen(const uint8_t *s, size_t max)
{
	size_t i = 0;

	while (i < max && s[i] != 0)
		i++;
	return i;
}

/* [off, off+len) lies inside a block of `size` bytes, without overflow. */
static bool span_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const uint8_t *struct_ptr(const struct fdt *f, uint32_t off)
{
	return f->blob + f->struct_off + off;
}

/* The NUL-terminated string at `off` in the strings block, or NULL if it runs off the block. */
static const char *string_at(const struct fdt *f, uint32_t off)
{
	if (off >= f->strings_size)
		return NULL;
	const uint8_t *s = f->blob + f->strings_off + off;
	if (bounded_strlen(s, f->strings_size - off) == f->strings_size - off)
		return NULL;
	return (const char *)s;
}

/* Decodes the token at `off`, checking that it and its payload lie inside the structure block. */
static enum fdt_status next_token(const struct fdt *f, uint32_t off, struct token *t)
{
	if (off % 4 != 0)
		return FDT_ERR_BADOFFSET;
	if (!span_ok(off, 4, f->struct_size))
		return FDT_ERR_TRUNCATED;
	uint64_t n = (uint64_t)off + 4;
	t->tag = fdt_be32(struct_ptr(f, off));
	t->name = NULL;
	t->val = NULL;
	t->len = 0;
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		size_t max = f->struct_size - n;
		size_t len = bounded_strlen(struct_ptr(f, (uint32_t)n), max);
		if (len == max)
			return FDT_ERR_BADSTRUCTURE; /* unterminated node name */
		t->name = (const char *)struct_ptr(f, (uint32_t)n);
		n += len + 1;
		break;
	}
	case FDT_PROP:
		if (!span_ok(n, 8, f->struct_size))
			return FDT_ERR_TRUNCATED;
		t->len = fdt_be32(struct_ptr(f, (uint32_t)n));
		t->name = string_at(f, fdt_be32(struct_ptr(f, (uint32_t)n + 4)));
		n += 8;
		if (!span_ok(n, t->len, f->struct_size))
			return FDT_ERR_TRUNCATED;
		if (!t->name)
			return FDT_ERR_BADSTRUCTURE; /* name offset outside the strings block */
		t->val = struct_ptr(f, (uint32_t)n);
		n += t->len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return FDT_ERR_BADSTRUCTURE;
	}
	n = (n + 3) & ~(uint64_t)3;
	if (n > f->struct_size)
		return FDT_ERR_TRUNCATED;
	t->next = (uint32_t)n;
	return FDT_OK;
}

/* Walks the whole structure block once: balanced nodes, one root, depth bounded, ends with END. */
static enum fdt_status check_structure(struct fdt *f)
{
	uint32_t off = 0, depth = 0;
	bool have_root = false;
	struct token t;

	for (;;) {
		enum fdt_status st = next_token(f, off, &t);
		if (st != FDT_OK)
			return st;
		switch (t.tag) {
		case FDT_BEGIN_NODE:
			if (depth == 0) {
				if (have_root)
					return FDT_ERR_BADSTRUCTURE; /* a second root */
				have_root = true;
				f->root = off;
			}
			if (++depth > FDT_MAX_DEPTH)
				return FDT_ERR_TOODEEP;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return FDT_ERR_BADSTRUCTURE;
			depth--;
			break;
		case FDT_PROP:
			if (depth == 0)
				return FDT_ERR_BADSTRUCTURE;
			break;
		case FDT_END:
			return (depth == 0 && have_root) ? FDT_OK : FDT_ERR_BADSTRUCTURE;
		default:
			break; /* NOP */
		}
		off = t.next;
	}
}

static enum fdt_status check_rsvmap(struct fdt *f)
{
	for (uint64_t off = f->rsvmap_off;; off += 16) {
		if (!span_ok(off, 16, f->size))
			return FDT_ERR_TRUNCATED;
		const uint8_t *e = f->blob + off;
		if (fdt_be64(e) == 0 && fdt_be64(e + 8) == 0)
			return FDT_OK;
		f->rsv_count++;
	}
}

enum fdt_status fdt_init(struct fdt *f, const void *blob, size_t cap)
{
	const uint8_t *h = blob;

	memset(f, 0, sizeof(*f));
	if (!blob || cap < FDT_HEADER_SIZE)
		return FDT_ERR_TRUNCATED;
	if (fdt_be32(h + HDR_MAGIC) != FDT_MAGIC)
		return FDT_ERR_BADMAGIC;
	uint32_t total = fdt_be32(h + HDR_TOTALSIZE);
	if (total < FDT_HEADER_SIZE || total > FDT_MAX_SIZE)
		return FDT_ERR_BADLAYOUT;
	if (total > cap)
		return FDT_ERR_TRUNCATED;
	/* Version 17 added size_dt_struct, which the bounds checks need. */
	if (fdt_be32(h + HDR_VERSION) < FDT_VERSION || fdt_be32(h + HDR_LAST_COMP) > FDT_VERSION)
		return FDT_ERR_BADVERSION;

	f->blob = h;
	f->size = total;
	f->struct_off = fdt_be32(h + HDR_OFF_STRUCT);
	f->struct_size = fdt_be32(h + HDR_SIZE_STRUCT);
	f->strings_off = fdt_be32(h + HDR_OFF_STRINGS);
	f->strings_size = fdt_be32(h + HDR_SIZE_STRINGS);
	f->rsvmap_off = fdt_be32(h + HDR_OFF_RSVMAP);

	if (f->struct_off < FDT_HEADER_SIZE || f->struct_off % 4 != 0 ||
	    !span_ok(f->struct_off, f->struct_size, total))
		return FDT_ERR_BADLAYOUT;
	if (f->strings_off < FDT_HEADER_SIZE || !span_ok(f->strings_off, f->strings_size, total))
		return FDT_ERR_BADLAYOUT;
	if (f->rsvmap_off < FDT_HEADER_SIZE || f->rsvmap_off % 8 != 0 || f->rsvmap_off >= total)
		return FDT_ERR_BADLAYOUT;
	/* The structure and strings blocks must not overlap (both sizes are bounded by total). */
	if (f->struct_off < f->strings_off + f->strings_size &&
	    f->strings_off < f->struct_off + f->struct_size)
		return FDT_ERR_BADLAYOUT;

	enum fdt_status st = check_rsvmap(f);
	if (st == FDT_OK)
		st = check_structure(f);
	if (st != FDT_OK)
		f->blob = NULL;
	return st;
}

enum fdt_status fdt_memreserve(const struct fdt *f, uint32_t index, uint64_t *addr, uint64_t *size)
{
	if (!f->blob)
		return FDT_ERR_BADLAYOUT;
	if (index >= f->rsv_count)
		return FDT_ERR_NOTFOUND;
	/* check_rsvmap proved entries [0, rsv_count] lie inside the blob. */
	const uint8_t *e = f->blob + f->rsvmap_off + (uint64_t)index * 16;
	*addr = fdt_be64(e);
	*size = fdt_be64(e + 8);
	return FDT_OK;
}

/* Decodes the BEGIN_NODE token of `node`, rejecting offsets that name anything else. */
static enum fdt_status node_token(const struct fdt *f, uint32_t node, struct token *t)
{
	if (!f->blob)
		return FDT_ERR_BADLAYOUT;
	enum fdt_status st = next_token(f, node, t);
	if (st != FDT_OK)
		return st == FDT_ERR_TRUNCATED ? FDT_ERR_BADOFFSET : st;
	return t->tag == FDT_BEGIN_NODE ? FDT_OK : FDT_ERR_BADOFFSET;
}

const char *fdt_node_name(const struct fdt *f, uint32_t node)
{
	struct token t;

	return node_token(f, node, &t) == FDT_OK ? t.name : "";
}

/* Finds the first token at or after `off` that is not a NOP. */
static enum fdt_status skip_nops(const struct fdt *f, uint32_t off, struct token *t, uint32_t *at)
{
	for (;;) {
		enum fdt_status st = next_token(f, off, t);
		if (st != FDT_OK || t->tag != FDT_NOP) {
			*at = off;
			return st;
		}
		off = t->next;
	}
}

enum fdt_status fdt_first_child(const struct fdt *f, uint32_t node, uint32_t *child)
{
	struct token t;
	enum fdt_status st = node_token(f, node, &t);

	if (st != FDT_OK)
		return st;
	for (uint32_t off = t.next;; off = t.next) {
		st = next_token(f, off, &t);
		if (st != FDT_OK)
			return st;
		if (t.tag == FDT_BEGIN_NODE) {
			*child = off;
			return FDT_OK;
		}
		if (t.tag == FDT_END_NODE || t.tag == FDT_END)
			return FDT_ERR_NOTFOUND;
	}
}

/* Offset just past the END_NODE that closes `node`. */
static enum fdt_status subtree_end(const struct fdt *f, uint32_t node, uint32_t *after)
{
	struct token t;
	uint32_t depth = 0;
	enum fdt_status st = node_token(f, node, &t);

	if (st != FDT_OK)
		return st;
	for (uint32_t off = node;; off = t.next) {
		st = next_token(f, off, &t);
		if (st != FDT_OK)
			return st;
		if (t.tag == FDT_BEGIN_NODE) {
			depth++;
		} else if (t.tag == FDT_END_NODE) {
			if (--depth == 0) {
				*after = t.next;
				return FDT_OK;
			}
		} else if (t.tag == FDT_END) {
			return FDT_ERR_BADSTRUCTURE;
		}
	}
}

enum fdt_status fdt_next_sibling(const struct fdt *f, uint32_t node, uint32_t *sibling)
{
	uint32_t off;
	struct token t;
	enum fdt_status st = subtree_end(f, node, &off);

	if (st == FDT_OK)
		st = skip_nops(f, off, &t, &off);
	if (st != FDT_OK)
		return st;
	if (t.tag != FDT_BEGIN_NODE)
		return FDT_ERR_NOTFOUND;
	*sibling = off;
	return FDT_OK;
}

enum fdt_status fdt_parent(const struct fdt *f, uint32_t node, uint32_t *parent)
{
	uint32_t stack[FDT_MAX_DEPTH];
	uint32_t depth = 0;
	struct token t;
	enum fdt_status st = node_token(f, node, &t);

	if (st != FDT_OK)
		return st;
	for (uint32_t off = f->root;; off = t.next) {
		st = next_token(f, off, &t);
		if (st != FDT_OK)
			return st;
		if (t.tag == FDT_BEGIN_NODE) {
			if (off == node) {
				if (depth == 0)
					return FDT_ERR_NOTFOUND; /* the root has no parent */
				*parent = stack[depth - 1];
				return FDT_OK;
			}
			if (depth >= FDT_MAX_DEPTH)
				return FDT_ERR_TOODEEP;
			stack[depth++] = off;
		} else if (t.tag == FDT_END_NODE) {
			if (depth == 0)
				return FDT_ERR_BADOFFSET;
			depth--;
		} else if (t.tag == FDT_END) {
			return FDT_ERR_BADOFFSET;
		}
	}
}

/* "memory" matches "memory" and "memory@40000000"; "memory@0" matches only itself. */
static bool name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return false;
	if (name[len] == '\0')
		return true;
	for (size_t i = 0; i < len; i++) {
		if (comp[i] == '@')
			return false;
	}
	return name[len] == '@';
}

enum fdt_status fdt_path(const struct fdt *f, const char *path, uint32_t *node)
{
	if (!f->blob)
		return FDT_ERR_BADLAYOUT;
	if (path[0] != '/')
		return FDT_ERR_NOTFOUND;
	uint32_t cur = f->root;
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		size_t len = 0;
		while (p[len] != '\0' && p[len] != '/')
			len++;
		uint32_t child;
		enum fdt_status st = fdt_first_child(f, cur, &child);
		while (st == FDT_OK && !name_matches(fdt_node_name(f, child), p, len))
			st = fdt_next_sibling(f, child, &child);
		if (st != FDT_OK)
			return st;
		cur = child;
		p += len;
	}
	*node = cur;
	return FDT_OK;
}

enum fdt_status fdt_getprop(const struct fdt *f, uint32_t node, const char *name, const uint8_t **val,
			    uint32_t *len)
{
	struct token t;
	enum fdt_status st = node_token(f, node, &t);

	if (st != FDT_OK)
		return st;
	/* Properties come before the first subnode (Devicetree Specification section 5.4.1). */
	for (uint32_t off = t.next;; off = t.next) {
		st = next_token(f, off, &t);
		if (st != FDT_OK)
			return st;
		if (t.tag == FDT_PROP && strcmp(t.name, name) == 0) {
			*val = t.val;
			*len = t.len;
			return FDT_OK;
		}
		if (t.tag != FDT_PROP && t.tag != FDT_NOP)
			return FDT_ERR_NOTFOUND;
	}
}

enum fdt_status fdt_prop_string(const struct fdt *f, uint32_t node, const char *name, const char **str)
{
	const uint8_t *v;
	uint32_t len;
	enum fdt_status st = fdt_getprop(f, node, name, &v, &len);

	if (st != FDT_OK)
		return st;
	if (len == 0 || bounded_strlen(v, len) == len)
		return FDT_ERR_BADVALUE; /* empty or unterminated */
	*str = (const char *)v;
	return FDT_OK;
}

bool fdt_prop_has_string(const struct fdt *f, uint32_t node, const char *name, const char *str)
{
	const uint8_t *v;
	uint32_t len;

	if (fdt_getprop(f, node, name, &v, &len) != FDT_OK)
		return false;
	for (uint32_t pos = 0; pos < len;) {
		size_t n = bounded_strlen(v + pos, len - pos);
		if (n == len - pos)
			return false; /* unterminated last string */
		if (strcmp((const char *)v + pos, str) == 0)
			return true;
		pos += (uint32_t)n + 1;
	}
	return false;
}

enum fdt_status fdt_prop_u32(const struct fdt *f, uint32_t node, const char *name, uint32_t *out)
{
	const uint8_t *v;
	uint32_t len;
	enum fdt_status st = fdt_getprop(f, node, name, &v, &len);

	if (st != FDT_OK)
		return st;
	if (len != 4)
		return FDT_ERR_BADVALUE;
	*out = fdt_be32(v);
	return FDT_OK;
}

enum fdt_status fdt_prop_u64(const struct fdt *f, uint32_t node, const char *name, uint64_t *out)
{
	const uint8_t *v;
	uint32_t len;
	enum fdt_status st = fdt_getprop(f, node, name, &v, &len);

	if (st != FDT_OK)
		return st;
	if (len == 4)
		*out = fdt_be32(v);
	else if (len == 8)
		*out = fdt_be64(v);
	else
		return FDT_ERR_BADVALUE;
	return FDT_OK;
}

/* Reads a #...-cells property; `dflt` when absent. */
static enum fdt_status cells_prop(const struct fdt *f, uint32_t node, const char *name, uint32_t dflt,
				  uint32_t *out)
{
	enum fdt_status st = fdt_prop_u32(f, node, name, out);

	if (st == FDT_ERR_NOTFOUND) {
		*out = dflt;
		return FDT_OK;
	}
	return st;
}

enum fdt_status fdt_cells(const struct fdt *f, uint32_t parent, struct fdt_cells *cells)
{
	enum fdt_status st = cells_prop(f, parent, "#address-cells", 2, &cells->address);

	if (st == FDT_OK)
		st = cells_prop(f, parent, "#size-cells", 1, &cells->size);
	if (st != FDT_OK)
		return st;
	if (cells->address < 1 || cells->address > 2 || cells->size > 2)
		return FDT_ERR_BADVALUE;
	return FDT_OK;
}

static uint64_t read_cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? fdt_be64(p) : n == 1 ? fdt_be32(p) : 0;
}

enum fdt_status fdt_reg(const struct fdt *f, uint32_t node, struct fdt_cells cells, uint32_t index,
			uint64_t *base, uint64_t *size)
{
	const uint8_t *v;
	uint32_t len;

	if (cells.address < 1 || cells.address > 2 || cells.size > 2)
		return FDT_ERR_BADVALUE;
	enum fdt_status st = fdt_getprop(f, node, "reg", &v, &len);
	if (st != FDT_OK)
		return st;
	uint32_t entry = (cells.address + cells.size) * 4;
	if (len % entry != 0)
		return FDT_ERR_BADVALUE;
	if (index >= len / entry)
		return FDT_ERR_NOTFOUND;
	const uint8_t *e = v + (size_t)index * entry;
	*base = read_cells(e, cells.address);
	*size = read_cells(e + cells.address * 4, cells.size);
	return FDT_OK;
}
