/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 519146325a3d5f9d730baf6812a8bbb7228fa77c */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_SlotLockService___construct, 0, 0, 0)
	ZEND_ARG_TYPE_MASK(0, options, MAY_BE_ARRAY|MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_key, 0, 3, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, serviceId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SlotLockService_acquire, 0, 3, SlotLock, 1)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, serviceId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, owner, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SlotLockService_acquireSegments, 0, 2, SlotLock, 1)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, segments, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, owner, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SlotLockService_acquireFirst, 0, 2, SlotLock, 1)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, candidates, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, owner, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SlotLockService_acquireResource, 0, 4, SlotLock, 1)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, resourceId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, end, DateTimeInterface, MAY_BE_STRING|MAY_BE_LONG, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, owner, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferBefore, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferAfter, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_resourceKeys, 0, 4, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, resourceId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, end, DateTimeInterface, MAY_BE_STRING|MAY_BE_LONG, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferBefore, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferAfter, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_commit, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, lock, SlotLock, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bookingId, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_onEvent, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, listener, IS_CALLABLE, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_validate, 0, 2, _IS_BOOL, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, lock, SlotLock, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_SlotLockService_release arginfo_class_SlotLockService_validate

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_SlotLockService_extend, 0, 2, SlotLock, 1)
	ZEND_ARG_OBJ_TYPE_MASK(0, lock, SlotLock, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_status, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, lock, SlotLock, MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_activeLocks, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_metrics, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, minutes, IS_LONG, 0, "15")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_flushMetrics, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_SlotLockService_topology arginfo_class_SlotLockService_stats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_SlotLockService_close, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_AvailabilityWithLock___construct, 0, 0, 1)
	ZEND_ARG_OBJ_INFO(0, locks, SlotLockService, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_AvailabilityWithLock_check, 0, 5, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, availability, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, service, MAY_BE_LONG|MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_AvailabilityWithLock_checkResource, 0, 6, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, availability, IS_ARRAY, 0)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_TYPE_MASK(0, resourceId, MAY_BE_LONG|MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING, NULL)
	ZEND_ARG_OBJ_TYPE_MASK(0, end, DateTimeInterface, MAY_BE_STRING|MAY_BE_LONG, NULL)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferBefore, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bufferAfter, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_AvailabilityWithLock_beginBooking, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO(0, lockKey, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, companyId, MAY_BE_LONG|MAY_BE_STRING|MAY_BE_NULL, "null")
	ZEND_ARG_TYPE_MASK(0, service, MAY_BE_LONG|MAY_BE_STRING|MAY_BE_ARRAY|MAY_BE_NULL, "null")
	ZEND_ARG_OBJ_TYPE_MASK(0, start, DateTimeInterface, MAY_BE_STRING|MAY_BE_NULL, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_AvailabilityWithLock_finishBooking, 0, 3, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, lockKey, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, owner, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, booked, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, bookingId, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_SlotLock___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_SlotLock_toArray arginfo_class_SlotLockService_stats


ZEND_METHOD(SlotLockService, __construct);
ZEND_METHOD(SlotLockService, key);
ZEND_METHOD(SlotLockService, acquire);
ZEND_METHOD(SlotLockService, acquireSegments);
ZEND_METHOD(SlotLockService, acquireFirst);
ZEND_METHOD(SlotLockService, acquireResource);
ZEND_METHOD(SlotLockService, resourceKeys);
ZEND_METHOD(SlotLockService, commit);
ZEND_METHOD(SlotLockService, onEvent);
ZEND_METHOD(SlotLockService, validate);
ZEND_METHOD(SlotLockService, release);
ZEND_METHOD(SlotLockService, extend);
ZEND_METHOD(SlotLockService, status);
ZEND_METHOD(SlotLockService, activeLocks);
ZEND_METHOD(SlotLockService, stats);
ZEND_METHOD(SlotLockService, metrics);
ZEND_METHOD(SlotLockService, flushMetrics);
ZEND_METHOD(SlotLockService, topology);
ZEND_METHOD(SlotLockService, close);
ZEND_METHOD(AvailabilityWithLock, __construct);
ZEND_METHOD(AvailabilityWithLock, check);
ZEND_METHOD(AvailabilityWithLock, checkResource);
ZEND_METHOD(AvailabilityWithLock, beginBooking);
ZEND_METHOD(AvailabilityWithLock, finishBooking);
ZEND_METHOD(SlotLock, __construct);
ZEND_METHOD(SlotLock, toArray);


static const zend_function_entry class_SlotLockService_methods[] = {
	ZEND_ME(SlotLockService, __construct, arginfo_class_SlotLockService___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, key, arginfo_class_SlotLockService_key, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, acquire, arginfo_class_SlotLockService_acquire, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, acquireSegments, arginfo_class_SlotLockService_acquireSegments, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, acquireFirst, arginfo_class_SlotLockService_acquireFirst, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, acquireResource, arginfo_class_SlotLockService_acquireResource, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, resourceKeys, arginfo_class_SlotLockService_resourceKeys, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, commit, arginfo_class_SlotLockService_commit, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, onEvent, arginfo_class_SlotLockService_onEvent, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, validate, arginfo_class_SlotLockService_validate, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, release, arginfo_class_SlotLockService_release, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, extend, arginfo_class_SlotLockService_extend, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, status, arginfo_class_SlotLockService_status, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, activeLocks, arginfo_class_SlotLockService_activeLocks, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, stats, arginfo_class_SlotLockService_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, metrics, arginfo_class_SlotLockService_metrics, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, flushMetrics, arginfo_class_SlotLockService_flushMetrics, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, topology, arginfo_class_SlotLockService_topology, ZEND_ACC_PUBLIC)
	ZEND_ME(SlotLockService, close, arginfo_class_SlotLockService_close, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_AvailabilityWithLock_methods[] = {
	ZEND_ME(AvailabilityWithLock, __construct, arginfo_class_AvailabilityWithLock___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(AvailabilityWithLock, check, arginfo_class_AvailabilityWithLock_check, ZEND_ACC_PUBLIC)
	ZEND_ME(AvailabilityWithLock, checkResource, arginfo_class_AvailabilityWithLock_checkResource, ZEND_ACC_PUBLIC)
	ZEND_ME(AvailabilityWithLock, beginBooking, arginfo_class_AvailabilityWithLock_beginBooking, ZEND_ACC_PUBLIC)
	ZEND_ME(AvailabilityWithLock, finishBooking, arginfo_class_AvailabilityWithLock_finishBooking, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_SlotLock_methods[] = {
	ZEND_ME(SlotLock, __construct, arginfo_class_SlotLock___construct, ZEND_ACC_PRIVATE)
	ZEND_ME(SlotLock, toArray, arginfo_class_SlotLock_toArray, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_SlotLockException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SlotLockConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_SlotLockTimeoutException_methods[] = {
	ZEND_FE_END
};

static zend_class_entry *register_class_SlotLockService(void)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "SlotLockService", class_SlotLockService_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_AvailabilityWithLock(void)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "AvailabilityWithLock", class_AvailabilityWithLock_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_SlotLock(void)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "SlotLock", class_SlotLock_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval property_key_default_value;
	ZVAL_UNDEF(&property_key_default_value);
	zend_string *property_key_name = zend_string_init("key", sizeof("key") - 1, 1);
	zend_declare_typed_property(class_entry, property_key_name, &property_key_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_key_name);

	zval property_keys_default_value;
	ZVAL_UNDEF(&property_keys_default_value);
	zend_string *property_keys_name = zend_string_init("keys", sizeof("keys") - 1, 1);
	zend_declare_typed_property(class_entry, property_keys_name, &property_keys_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_keys_name);

	zval property_owner_default_value;
	ZVAL_UNDEF(&property_owner_default_value);
	zend_string *property_owner_name = zend_string_init("owner", sizeof("owner") - 1, 1);
	zend_declare_typed_property(class_entry, property_owner_name, &property_owner_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_owner_name);

	zval property_fence_default_value;
	ZVAL_UNDEF(&property_fence_default_value);
	zend_string *property_fence_name = zend_string_init("fence", sizeof("fence") - 1, 1);
	zend_declare_typed_property(class_entry, property_fence_name, &property_fence_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG|MAY_BE_NULL));
	zend_string_release(property_fence_name);

	zend_string *property_expiresAt_class_DateTimeImmutable = zend_string_init("DateTimeImmutable", sizeof("DateTimeImmutable")-1, 1);
	zval property_expiresAt_default_value;
	ZVAL_UNDEF(&property_expiresAt_default_value);
	zend_string *property_expiresAt_name = zend_string_init("expiresAt", sizeof("expiresAt") - 1, 1);
	zend_declare_typed_property(class_entry, property_expiresAt_name, &property_expiresAt_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_CLASS(property_expiresAt_class_DateTimeImmutable, 0, 0));
	zend_string_release(property_expiresAt_name);

	zval property_candidate_default_value;
	ZVAL_UNDEF(&property_candidate_default_value);
	zend_string *property_candidate_name = zend_string_init("candidate", sizeof("candidate") - 1, 1);
	zend_declare_typed_property(class_entry, property_candidate_name, &property_candidate_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG|MAY_BE_NULL));
	zend_string_release(property_candidate_name);

	return class_entry;
}

static zend_class_entry *register_class_SlotLockException(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "SlotLockException", class_SlotLockException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_SlotLockConnectionException(zend_class_entry *class_entry_SlotLockException)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "SlotLockConnectionException", class_SlotLockConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SlotLockException);

	return class_entry;
}

static zend_class_entry *register_class_SlotLockTimeoutException(zend_class_entry *class_entry_SlotLockConnectionException)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "SlotLockTimeoutException", class_SlotLockTimeoutException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_SlotLockConnectionException);

	return class_entry;
}
