// AppError and the closed set of codes live in shared/errors, which both shared/contract and shared/domain import
// (the domain never imports the contract). This module keeps the contract's public path for the doors.
export { AppError, type AppErrorData, ERROR_CODES, type ErrorCode, isAppError } from "../errors/app-error";
