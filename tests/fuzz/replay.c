/*
 * replay.c — a plain driver for the fuzz targets: main() calls
 * LLVMFuzzerTestOneInput() once per file named on the command line, walking
 * directories recursively, so the committed corpora and crash inputs run
 * in every ordinary (and sanitizer) test build without clang or libFuzzer.
 * A target that breaks an invariant aborts; the file being run is printed
 * first (to stderr, only when HELMREC_FUZZ_VERBOSE is set, or on failure by
 * the abort handler's output naming the last file).
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"

static const char *current;
static unsigned long nfiles;

static void on_abort(int sig)
{
	static const char msg[] = "replay: failed on ";

	if (current) {
		if (write(2, msg, sizeof(msg) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
		    write(2, "\n", 1) < 0) {
			/* nothing more to do */
		}
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			unsigned char *p = realloc(data, ncap);

			if (!p) {
				fclose(f);
				free(data);
				return -1;
			}
			data = p;
			cap = ncap;
		}
		n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	current = path;
	if (getenv("HELMREC_FUZZ_VERBOSE"))
		fprintf(stderr, "replay: %s\n", path);
	/* Give the target its own copy of exactly len bytes so ASan sees overreads. */
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	if (len)
		memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	current = NULL;
	nfiles++;
	return 0;
}

static int run_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= sizeof(sub))
			continue;
		if (run_path(sub) < 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	signal(SIGABRT, on_abort);
	signal(SIGSEGV, on_abort);
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			rc = 1;
	fprintf(stderr, "replay: %lu inputs\n", nfiles);
	return rc;
}
