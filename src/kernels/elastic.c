/* The displacement field of an elastic deformation (Simard et al. 2003),
 * drawn and smoothed as torchvision's ElasticTransform.get_params: white
 * noise in [-1, 1), a gaussian blur, a scale. The field is a function of
 * the stream alone, so whoever holds the stream (the image, its masks,
 * its keypoints) can rebuild exactly the same field. */
#include <math.h>
#include <stdlib.h>

#include "augment/geometry.h"
#include "kernels/border.h"
#include "core/dmath.h"

/* torchvision's _get_gaussian_kernel1d. */
static double *gauss_kernel(double sigma, int *size)
{
    int k = (int)(8 * sigma + 1);
    if (k % 2 == 0)
        k++;
    double *g = malloc((size_t)k * sizeof *g), sum = 0.0;
    if (!g)
        return NULL;
    int half = k / 2;
    for (int i = 0; i < k; i++) {
        double x = (double)(i - half) / sigma;
        g[i] = aug_exp(-0.5 * x * x);
        sum += g[i];
    }
    for (int i = 0; i < k; i++)
        g[i] /= sum;
    *size = k;
    return g;
}

/* One field blurred in place: rows then columns, reflect101 border (torch's
 * "reflect" padding), in double. tmp holds w * h doubles. */
static void blur(float *f, int w, int h, const double *g, int k, double *tmp)
{
    int half = k / 2;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double s = 0.0;
            for (int i = 0; i < k; i++)
                s += g[i] * f[(size_t)y * (size_t)w +
                              (size_t)aug_border_index(x + i - half, w, AUG_BORDER_REFLECT101)];
            tmp[(size_t)y * (size_t)w + (size_t)x] = s;
        }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double s = 0.0;
            for (int i = 0; i < k; i++)
                s += g[i] *
                     tmp[(size_t)aug_border_index(y + i - half, h, AUG_BORDER_REFLECT101) *
                             (size_t)w + (size_t)x];
            f[(size_t)y * (size_t)w + (size_t)x] = (float)s;
        }
}

aug_status aug_elastic_field(int w, int h, double alpha, double sigma, aug_rng *rng,
                             float *dx, float *dy, aug_error *err)
{
    if (w <= 0 || h <= 0 || !dx || !dy || !rng)
        return aug_fail(err, AUG_ERR_ARG, "elastic: bad field size or buffers");
    if (!(alpha >= 0.0 && alpha < 1e6) || !(sigma >= 0.0 && sigma <= 1e3))
        return aug_fail(err, AUG_ERR_ARG, "elastic: alpha %g or sigma %g out of range", alpha,
                        sigma);
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++)
        dx[i] = (float)(aug_rng_uniform(rng) * 2.0 - 1.0);
    for (size_t i = 0; i < n; i++)
        dy[i] = (float)(aug_rng_uniform(rng) * 2.0 - 1.0);
    if (sigma > 0.0) {
        int k;
        double *g = gauss_kernel(sigma, &k);
        double *tmp = malloc(n * sizeof *tmp);
        if (!g || !tmp) {
            free(g);
            free(tmp);
            return aug_fail(err, AUG_ERR_NOMEM, "elastic: out of memory allocating a %dx%d field", w, h);
        }
        blur(dx, w, h, g, k, tmp);
        blur(dy, w, h, g, k, tmp);
        free(g);
        free(tmp);
    }
    /* torchvision divides dx by the height and dy by the width on a grid
     * where the width (height) spans 2 units */
    double sx = alpha * w / (2.0 * h), sy = alpha * h / (2.0 * w);
    for (size_t i = 0; i < n; i++) {
        dx[i] = (float)(dx[i] * sx);
        dy[i] = (float)(dy[i] * sy);
    }
    return AUG_OK;
}
