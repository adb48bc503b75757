/*
 * fuzz_k8sproto.c — the Kubernetes storage envelope (k8s\0 + runtime.Unknown
 * protobuf, or JSON), the classification into a record, and etcd's
 * mvccpb.KeyValue, all on the same bytes.
 */
#include "fuzz_common.h"

#include "model/record.h"
#include "sources/k8sproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_k8s_object o = HR_K8S_OBJECT_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_source_stats st = { 0 };
	hr_mvcc_kv kv;
	hr_record *r = NULL;

	if (hr_k8s_decode(&o, data, size, &err) == 0) {
		if (hr_k8s_object_to_record(&r, &o, &st, &err) == 1)
			hr_record_free(r);
		(void)hr_k8s_object_label(&o, "owner");
		(void)hr_k8s_object_data(&o, "release");
	}
	hr_k8s_object_release(&o);
	(void)hr_mvcc_kv_decode(&kv, data, size, &err);
	return 0;
}
