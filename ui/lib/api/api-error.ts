// The UI uses the contract's one ApiError; this path stays as the UI's entry to it.
export { ApiError, type ClientErrorCode } from '$contract/errors.ts';
