/* The OpenCL backend's private state and helpers; nothing here is exported. */
#ifndef ANNSCOPE_OPENCL_INTERNAL_H
#define ANNSCOPE_OPENCL_INTERNAL_H

#include "../common/internal.h"

#include <CL/cl.h>
#include <omp.h>

/* Room for the embedded programs (one .cl file each under kernels/); each is built on first use, per precision. */
#define AS_CL_MAX_SOURCES 8

struct as_opencl {
    cl_context context; /* retained from the caller */
    cl_device_id device;
    cl_command_queue queue; /* in-order, retained from the caller */
    char device_name[256];
    int fp64;                /* cl_khr_fp64 present */
    size_t max_work_group;   /* CL_DEVICE_MAX_WORK_GROUP_SIZE */
    cl_ulong max_alloc;      /* CL_DEVICE_MAX_MEM_ALLOC_SIZE */
    cl_ulong local_memory;   /* CL_DEVICE_LOCAL_MEM_SIZE */
    cl_ulong memory_budget;  /* bytes one call may hold on the device */
    omp_lock_t lock;         /* one call at a time per context: programs, kernels and the queue are shared */
    cl_program programs[AS_CL_MAX_SOURCES][2]; /* [source][0 = float32, 1 = float64], built lazily */
};
typedef struct as_opencl as_opencl;

/* Reads the device's name, extensions and limits into cl (memory_budget: 0 = half the global memory). */
int as_cl_device_info(as_opencl* cl);

/* Releases the programs and the retained context and queue (the context's release_device). */
void as_opencl_destroy(void* device);

/* The symbolic name of an OpenCL error code ("CL_OUT_OF_RESOURCES"), or "unknown OpenCL error". */
const char* as_cl_error_name(cl_int err);

/* Records "<formatted message>: OpenCL error <NAME> (cl_int <err>)" and returns ANNSCOPE_E_OPENCL. */
int as_cl_fail(cl_int err, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like as_cl_fail for a device allocation or transfer of `bytes`: names the size and the device. */
int as_cl_fail_memory(const char* device_name, cl_int err, const char* what, size_t bytes);

/* The built program of kernels/<source>.cl in float64 (f64 = 1) or float32; builds it once (under cl->lock). A failed
 * build returns ANNSCOPE_E_OPENCL with the compiler's log in the message; float64 on a device without
 * cl_khr_fp64 returns ANNSCOPE_E_BACKEND. */
int as_cl_program(as_opencl* cl, const char* source, int f64, cl_program* out);

/* A device buffer of `bytes`, reporting the size on failure. */
int as_cl_buffer(as_opencl* cl, cl_mem_flags flags, size_t bytes, const char* what, cl_mem* out);

/* Releases a buffer/kernel if set (NULL-safe). */
void as_cl_release_mem(cl_mem m);
void as_cl_release_kernel(cl_kernel k);

/* The backend state of an OpenCL context, or NULL (with an ANNSCOPE_E_STATE message) when ctx is not one. */
as_opencl* as_cl_state(annscope_context* ctx);

#endif
