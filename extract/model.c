/* model.c -- logistic regression over pair features: loading the weights
 * and scoring. Training is scripts/train.py (see docs/extraction.md). */
#include "model.h"

#include "extract.h"
#include "lexicon_json.h"

#include <math.h>
#include <string.h>

static const char *const actor_names[] = {
#define EXTA_NAME(name) #name,
    EXTA_LIST(EXTA_NAME)
#undef EXTA_NAME
};

const char *extp_actor_feature_name(int i)
{
    return i >= 0 && i < EXTA_N ? actor_names[i] : NULL;
}

_Static_assert(EXTA_N <= 16, "ext_pair.ax holds 16 actor features");

const char *ext_actor_feature_name(int i)
{
    return extp_actor_feature_name(i);
}

/* "dates": {"weights": {"bias": B, "in_clause": W, ...}} (date_choice.h). */
static bool is_number(const extp_json *J, int v)
{
    return extp_json_is(J, v, EXTP_J_INTEGER) || extp_json_is(J, v, EXTP_J_REAL);
}

static int load_dates(const char *path, const extp_json *J, int dt, extp_model *m, cx_err *err)
{
    int w = extp_json_get(J, dt, "weights");
    if (!extp_json_is(J, w, EXTP_J_OBJECT))
        return cx_err_set(err, CX_EFORMAT, path, 0, "\"dates\" has no \"weights\" object");
    extp_json_foreach(J, w, val) {
        const char *key = extp_json_key(J, val);
        if (!is_number(J, val))
            return cx_err_set(err, CX_EFORMAT, path, 0, "date weight of \"%s\" is not a number", key);
        if (strcmp(key, "bias") == 0) {
            m->dbias = extp_json_number(J, val);
            continue;
        }
        int i = 0;
        while (i < EXTD_N && strcmp(extp_date_feature_name(i), key) != 0)
            i++;
        if (i == EXTD_N)
            return cx_err_set(err, CX_EFORMAT, path, 0,
                              "unknown date feature \"%s\" (weights for another version?)", key);
        m->dw[i] = extp_json_number(J, val);
    }
    m->has_dates = true;
    return 0;
}

static int load_actors(const char *path, const extp_json *J, int act, extp_model *m, cx_err *err)
{
    int w = extp_json_get(J, act, "weights");
    if (!extp_json_is(J, w, EXTP_J_OBJECT))
        return cx_err_set(err, CX_EFORMAT, path, 0, "\"actors\" has no \"weights\" object");
    extp_json_foreach(J, w, val) {
        const char *key = extp_json_key(J, val);
        if (!is_number(J, val))
            return cx_err_set(err, CX_EFORMAT, path, 0, "actor weight of \"%s\" is not a number", key);
        if (strcmp(key, "bias") == 0) {
            m->abias = extp_json_number(J, val);
            continue;
        }
        int i = 0;
        while (i < EXTA_N && strcmp(actor_names[i], key) != 0)
            i++;
        if (i == EXTA_N)
            return cx_err_set(err, CX_EFORMAT, path, 0,
                              "unknown actor feature \"%s\" (weights for another version?)", key);
        m->aw[i] = extp_json_number(J, val);
    }
    m->has_actors = true;
    return 0;
}

static const char *const conj_types[EXTP_NTYPES] = {"shelling", "clash", "evacuation"};
static const int conj_type_feature[EXTP_NTYPES] = {EXTF_TYPE_SHELLING, EXTF_TYPE_CLASH,
                                                   EXTF_TYPE_EVACUATION};

_Static_assert(EXT_SHELLING == 0 && EXT_CLASH == 1 && EXT_EVACUATION == 2 && EXT_NTYPES == EXTP_NTYPES,
               "conj_types follows the order of the EXT_* types");

/* The slot of weight `key`: &m->w[i] for a feature, &m->tw[t][i] for a type
 * conjunction "TYPE*feature", or NULL when the build knows no such name (a
 * conjunction of the bias or of a type feature is not one). */
static double *weight_slot(extp_model *m, const char *key)
{
    const char *star = strchr(key, '*');
    if (!star) {
        int i = extp_feature_index(key, strlen(key));
        return i < 0 ? NULL : &m->w[i];
    }
    for (int t = 0; t < EXTP_NTYPES; t++) {
        size_t n = strlen(conj_types[t]);
        if ((size_t)(star - key) != n || strncmp(key, conj_types[t], n) != 0)
            continue;
        int i = extp_feature_index(star + 1, strlen(star + 1));
        if (i < 0 || i == EXTF_BIAS || i == EXTF_TYPE_SHELLING || i == EXTF_TYPE_CLASH ||
            i == EXTF_TYPE_EVACUATION)
            return NULL;
        return &m->tw[t][i];
    }
    return NULL;
}

int extp_model_load(const char *path, extp_model *m, cx_err *err)
{
    memset(m, 0, sizeof *m);
    extp_json_error je = {0};
    extp_json doc = {0};
    const extp_json *J = &doc;
    int rc = extp_json_read(path, &doc, &je);
    if (rc == CX_ENOMEM)
        return cx_err_set(err, rc, path, 0, "out of memory");
    if (rc != 0) {
        if (je.line <= 0) /* not opened, or empty */
            return cx_err_set(err, CX_EIO, path, 0, "cannot read the model weights: %s", je.text);
        return cx_err_set(err, CX_EFORMAT, path, je.line, "%s (column %d)", je.text, je.column);
    }
    const int root = 0;
    int w = extp_json_get(J, root, "weights");
    int th = extp_json_get(J, root, "threshold");
    if (!extp_json_is(J, w, EXTP_J_OBJECT)) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "no \"weights\" object");
        goto done;
    }
    m->threshold = is_number(J, th) ? extp_json_number(J, th) : 0.5;
    m->cal_a = 1.0;
    m->cal_b = 0.0;
    int cal = extp_json_get(J, root, "calibration");
    if (cal >= 0) {
        int a = extp_json_get(J, cal, "a"), b = extp_json_get(J, cal, "b");
        int meth = extp_json_get(J, cal, "method");
        const char *ms = extp_json_str(J, meth, NULL);
        if (!extp_json_is(J, cal, EXTP_J_OBJECT) || !is_number(J, a) || !is_number(J, b) ||
            (meth >= 0 && (!ms || strcmp(ms, "platt") != 0))) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0,
                            "\"calibration\" must be {\"method\": \"platt\", \"a\": A, \"b\": B}");
            goto done;
        }
        m->cal_a = extp_json_number(J, a);
        m->cal_b = extp_json_number(J, b);
        if (!(m->cal_a > 0) || !isfinite(m->cal_a) || !isfinite(m->cal_b)) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0,
                            "\"calibration\": \"a\" must be a positive number, \"b\" a number");
            goto done;
        }
    }
    if (m->threshold < 0 || m->threshold > 1) {
        rc = cx_err_set(err, CX_EFORMAT, path, 0, "\"threshold\" must lie between 0 and 1");
        goto done;
    }
    extp_json_foreach(J, w, val) {
        const char *key = extp_json_key(J, val);
        double *slot = weight_slot(m, key);
        if (!slot) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0,
                            "unknown feature \"%s\" (weights for another version?)", key);
            goto done;
        }
        if (!is_number(J, val)) {
            rc = cx_err_set(err, CX_EFORMAT, path, 0, "weight of \"%s\" is not a number", key);
            goto done;
        }
        *slot = extp_json_number(J, val);
    }
    int act = extp_json_get(J, root, "actors");
    if (act >= 0 && (rc = load_actors(path, J, act, m, err)) != 0)
        goto done;
    int dts = extp_json_get(J, root, "dates");
    if (dts >= 0 && (rc = load_dates(path, J, dts, m, err)) != 0)
        goto done;
    m->loaded = true;
done:
    extp_json_free(&doc);
    return rc;
}

double extp_model_logit(const extp_model *m, const float *x)
{
    double z = 0;
    for (int i = 0; i < EXTF_N; i++)
        z += m->w[i] * x[i];
    for (int t = 0; t < EXTP_NTYPES; t++) {
        if (x[conj_type_feature[t]] == 0)
            continue;
        for (int i = 0; i < EXTF_N; i++)
            z += m->tw[t][i] * x[i];
    }
    return z;
}

double extp_model_prob(const extp_model *m, const float *x)
{
    double z = m->cal_a * extp_model_logit(m, x) + m->cal_b;
    return 1.0 / (1.0 + exp(-z));
}

double extp_model_actor_prob(const extp_model *m, const float *x)
{
    double z = m->abias;
    for (int i = 0; i < EXTA_N; i++)
        z += m->aw[i] * x[i];
    return 1.0 / (1.0 + exp(-z));
}
