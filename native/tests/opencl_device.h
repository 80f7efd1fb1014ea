/* The C tests' OpenCL device: the first device of the first platform that has one, with its own context and
 * in-order queue, as the managed layer would hand them to annscope_context_create_opencl. */
#ifndef ANNSCOPE_TEST_OPENCL_DEVICE_H
#define ANNSCOPE_TEST_OPENCL_DEVICE_H
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <string.h>

static cl_context cl_ctx;
static cl_device_id cl_dev;
static cl_command_queue cl_q;
static int has_fp64;

/* 1 when a device is open; 0 when there is none (the test then exits 77: skipped) */
static int open_device(void)
{
    cl_platform_id platforms[8];
    cl_uint np = 0;
    if (clGetPlatformIDs(8, platforms, &np) != CL_SUCCESS || np == 0) return 0;
    for (cl_uint p = 0; p < np; p++)
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 1, &cl_dev, NULL) == CL_SUCCESS) {
            cl_int err;
            cl_ctx = clCreateContext(NULL, 1, &cl_dev, NULL, NULL, &err);
            if (err != CL_SUCCESS) return 0;
            cl_q = clCreateCommandQueue(cl_ctx, cl_dev, 0, &err);
            char ext[4096] = "";
            clGetDeviceInfo(cl_dev, CL_DEVICE_EXTENSIONS, sizeof ext, ext, NULL);
            has_fp64 = strstr(ext, "cl_khr_fp64") != NULL;
            return err == CL_SUCCESS;
        }
    return 0;
}
#endif
