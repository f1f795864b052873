/* The CSV table loader, then the sampling strategy, the SMOTE family, the
 * undersamplers and mixup on what it loaded: bytes in, a table or an error
 * naming the line and column out; every table that loads goes through the
 * samplers (categorical columns included: a text column is one). */
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
    o.categorical = opt & 16 ? "0" : NULL;
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
        size_t *counts = calloc(t.nclasses ? t.nclasses : 1, sizeof *counts);
        if (n_new && counts) {
            aug_table_class_counts(&t, counts);
            static const char *const specs[] = {"auto", "all", "minority", "0.7"};
            if (aug_sampling_strategy(counts, (const char *const *)t.classes, t.nclasses,
                                      specs[(opt >> 3) & 3], AUG_STRATEGY_OVER, n_new,
                                      NULL) == AUG_OK) {
                size_t total = 0;
                for (size_t c = 0; c < t.nclasses; c++)
                    total += n_new[c];
                aug_smote_params p;
                /* every method but SVM-SMOTE (libsvm's time on odd tables is its own) */
                static const aug_smote_method methods[] = {
                    AUG_SMOTE, AUG_SMOTE_BORDERLINE1, AUG_SMOTE_BORDERLINE2, AUG_ADASYN,
                    AUG_SMOTE_KMEANS, AUG_SMOTEN, AUG_POLYFIT, AUG_PROWSYN};
                aug_smote_defaults(&p, methods[(opt >> 5) % 8]);
                p.k = 1 + opt % 3;
                p.m = 1 + opt % 5;
                p.seed = opt;
                aug_table syn;
                if (total <= 5000 && aug_table_init_like(&syn, &t, NULL) == AUG_OK) {
                    aug_origin *org = malloc((2 * total + 1) * sizeof *org);
                    if (org && aug_smote(&t, n_new, &p, &syn, org, NULL, NULL) == AUG_OK &&
                        syn.rows && !aug_table_ncategorical(&syn)) {
                        unsigned char *keep = malloc(syn.rows);
                        unsigned char clean[64];
                        memset(clean, 1, sizeof clean);
                        if (keep && syn.nclasses <= 64) {
                            memset(keep, 1, syn.rows);
                            aug_tomek_links(&syn, clean, keep, NULL, NULL);
                            aug_enn(&syn, 3, clean, keep, NULL, NULL);
                            aug_ipf_filter(&syn, 3, 2, 0.01, opt, keep, NULL);
                        }
                        free(keep);
                    }
                    free(org);
                    aug_table_free(&syn);
                }
            }
        }
        free(n_new);
        free(counts);
        size_t n = 1 + t.rows % 50;
        double *x = malloc(n * (t.cols ? t.cols : 1) * sizeof *x);
        double *soft = malloc(n * (t.nclasses ? t.nclasses : 1) * sizeof *soft);
        if (x && soft && t.rows)
            aug_mixup_table(&t, n, 0.4, opt, "fuzz.csv", opt & 64 ? 'w' : 0, x, soft, NULL,
                            NULL);
        free(x);
        free(soft);
    }
    aug_table_free(&t);
    return 0;
}
