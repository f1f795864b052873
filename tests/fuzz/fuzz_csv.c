/* The CSV table loader, then SMOTE and mixup on what it loaded: bytes in,
 * a table or an error naming the line and column out; every table that
 * loads goes through the samplers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "augment/augment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    /* the first byte picks the options */
    unsigned opt = data[0];
    FILE *fp = fmemopen((void *)(data + 1), size - 1, "rb");
    if (!fp)
        return 0;
    aug_csv_options o;
    aug_csv_options_default(&o);
    o.delimiter = opt & 1 ? ';' : ',';
    o.header = !(opt & 2);
    o.label = opt & 4 ? "0" : NULL;
    aug_table t;
    aug_error err;
    aug_status st = aug_csv_load_table(&t, fp, "fuzz.csv", &o, &err);
    fclose(fp);
    if (st) {
        if (!strstr(err.msg, "fuzz.csv"))
            abort(); /* every message names the file */
        return 0;
    }
    if (t.rows <= 2000 && t.cols <= 64) {
        size_t *n_new = calloc(t.nclasses ? t.nclasses : 1, sizeof *n_new);
        if (n_new && aug_smote_strategy(&t, opt & 8 ? "all" : "auto", n_new, NULL) == AUG_OK) {
            size_t total = 0;
            for (size_t c = 0; c < t.nclasses; c++)
                total += n_new[c];
            aug_table syn;
            if (total <= 5000 &&
                aug_table_init(&syn, t.cols, (const char *const *)t.names, t.label_name,
                               NULL) == AUG_OK) {
                aug_smote(&t, n_new, 1 + opt % 3, opt, &syn, NULL, NULL);
                aug_table_free(&syn);
            }
        }
        free(n_new);
        size_t n = 1 + t.rows % 50;
        double *x = malloc(n * (t.cols ? t.cols : 1) * sizeof *x);
        double *soft = malloc(n * (t.nclasses ? t.nclasses : 1) * sizeof *soft);
        if (x && soft && t.rows)
            aug_mixup_table(&t, n, 0.4, opt, "fuzz.csv", x, soft, NULL, NULL);
        free(x);
        free(soft);
    }
    aug_table_free(&t);
    return 0;
}
