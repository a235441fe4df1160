/* model.c -- logistic regression over pair features: loading the weights
 * and scoring. Training is scripts/train.py (see docs/extraction.md). */
#include "model.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

int extp_model_load(const char *path, extp_model *m, cx_err *err)
{
    memset(m, 0, sizeof *m);
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        if (je.line <= 0) /* not opened, or empty */
            return cx_err_set(err, CX_EIO, path, 0, "cannot read the model weights: %s", je.text);
        return cx_err_set(err, CX_EFORMAT, path, je.line, "%s (column %d)", je.text, je.column);
    }
    int rc = 0;
    json_t *w = json_object_get(root, "weights");
    json_t *th = json_object_get(root, "threshold");
    if (!json_is_object(w)) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "no \"weights\" object");
        goto done;
    }
    m->threshold = json_is_number(th) ? json_number_value(th) : 0.5;
    if (m->threshold < 0 || m->threshold > 1) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "\"threshold\" must lie between 0 and 1");
        goto done;
    }
    const char *key;
    json_t *val;
    json_object_foreach(w, key, val) {
        int i = extp_feature_index(key, strlen(key));
        if (i < 0) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0,
                            "unknown feature \"%s\" (weights for another version?)", key);
            goto done;
        }
        if (!json_is_number(val)) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0, "weight of \"%s\" is not a number", key);
            goto done;
        }
        m->w[i] = json_number_value(val);
    }
    m->loaded = true;
done:
    json_decref(root);
    return rc;
}

double extp_model_prob(const extp_model *m, const float *x)
{
    double z = 0;
    for (int i = 0; i < EXTF_N; i++)
        z += m->w[i] * x[i];
    return 1.0 / (1.0 + exp(-z));
}
