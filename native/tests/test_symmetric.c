/* Small symmetric matrices: log-determinants and singular values against closed forms, a ridge, a matrix that
 * is not positive definite, thread-count independence and refusal of bad input. */
#include "annscope.h"
#include "check.h"

#include <math.h>
#include <string.h>

int main(void)
{
    annscope_context *ctx1, *ctx2;
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, 1, &ctx1) == 0, "%s", annscope_last_error());
    CHECK(annscope_context_create(ANNSCOPE_BACKEND_MKL, 2, &ctx2) == 0, "%s", annscope_last_error());

    /* diag(2, 3, 5) rotated in the (0,1) plane by 30 degrees: det 30; and an indefinite matrix, eigenvalues 3, -1, 2 */
    const double c = cos(0.5235987755982988), s = sin(0.5235987755982988);
    double a[2][9] = {{2 * c * c + 3 * s * s, (3 - 2) * c * s, 0, (3 - 2) * c * s, 2 * s * s + 3 * c * c, 0, 0, 0, 5},
                      {1, 2, 0, 2, 1, 0, 0, 0, 2}};
    double logdet[2];
    CHECK(annscope_sym_logdet_f64(ctx2, &a[0][0], 2, 3, 0, logdet) == 0, "%s", annscope_last_error());
    CHECK(fabs(logdet[0] - log(30.0)) < 1e-13, "logdet %.17g, expected ln 30", logdet[0]);
    CHECK(isnan(logdet[1]), "an indefinite matrix has no Cholesky factor: got %g", logdet[1]);
    CHECK(annscope_sym_logdet_f64(ctx1, &a[0][0], 1, 3, 0.5, logdet) == 0, "%s", annscope_last_error());
    CHECK(fabs(logdet[0] - log(2.5 * 3.5 * 5.5)) < 1e-13, "ridge: logdet %.17g", logdet[0]);

    double sv1[6], sv2[6];
    CHECK(annscope_sym_singular_values_f64(ctx1, &a[0][0], 2, 3, sv1) == 0, "%s", annscope_last_error());
    CHECK(annscope_sym_singular_values_f64(ctx2, &a[0][0], 2, 3, sv2) == 0, "%s", annscope_last_error());
    const double expected[6] = {5, 3, 2, 3, 2, 1};
    for (int k = 0; k < 6; k++) CHECK(fabs(sv1[k] - expected[k]) < 1e-13, "singular value %d: %.17g, expected %g", k, sv1[k], expected[k]);
    CHECK(memcmp(sv1, sv2, sizeof sv1) == 0, "singular values depend on the thread count");

    a[1][4] = NAN;
    CHECK(annscope_sym_logdet_f64(ctx1, &a[0][0], 2, 3, 0, logdet) == ANNSCOPE_E_NUMERIC, "NaN accepted");
    CHECK(strstr(annscope_last_error(), "matrix 1") != NULL, "message: %s", annscope_last_error());
    CHECK(annscope_sym_singular_values_f64(ctx1, &a[0][0], 1, 0, sv1) == ANNSCOPE_E_ARGUMENT, "m = 0 accepted");
    CHECK(annscope_sym_logdet_f64(ctx1, &a[0][0], 1, 3, -1, logdet) == ANNSCOPE_E_ARGUMENT, "negative ridge accepted");
    annscope_context_destroy(ctx1);
    annscope_context_destroy(ctx2);
    return CHECK_DONE();
}
