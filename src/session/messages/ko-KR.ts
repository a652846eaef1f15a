import type { MessageCatalog } from './catalog.js';

/**
 * The Korean messages, in the terms of the Lync / Skype for Business client in Korean (로그인 주소,
 * 로그인, 닫기, 로그아웃, 종료, 내 로그인 정보 삭제, 스마트 카드, 가상 스마트 카드, PIN, 등록),
 * with the machine-translation errors of its Korean documentation corrected: "sign out" is
 * 로그아웃, never 로그인.
 *
 * @example
 * ```ts
 * import { en, koKR } from 'smartcard-2fa/session';
 *
 * // Korean with English alongside, for a bilingual kiosk.
 * const bilingual = (attemptsRemaining: number) =>
 *   `${koKR['pin-wrong']({ attemptsRemaining })}\n${en['pin-wrong']({ attemptsRemaining })}`;
 * console.log(bilingual(2)); // 'PIN이 올바르지 않습니다. 남은 시도 횟수는 2회입니다.' ...
 * ```
 *
 * @category Client
 */
export const koKR: MessageCatalog = {
  'sign-in-address-prompt': '로그인 주소를 입력하세요(일반적으로 전자 메일 주소와 같습니다).',
  'sign-in-address-invalid':
    '올바른 로그인 주소가 아닙니다. 로그인 주소는 일반적으로 전자 메일 주소 형식입니다. 확인한 후 다시 시도하세요.',
  'password-prompt': '암호를 입력하세요.',
  'password-wrong': '로그인 주소 또는 암호가 올바르지 않습니다. 확인한 후 다시 시도하세요.',
  'sign-in': '로그인',

  'smart-card-required': '조직에서 로그인할 때 스마트 카드를 사용하도록 요구합니다.',
  'insert-card': '스마트 카드 판독기에 스마트 카드를 삽입하세요.',
  'card-detected': '스마트 카드가 감지되었습니다. 계속하려면 확인을 클릭하세요.',
  'reading-card': '스마트 카드를 읽는 중…',
  'pin-prompt': '스마트 카드의 PIN을 입력한 다음 확인을 클릭하세요.',
  'pin-wrong': ({ attemptsRemaining }) =>
    `PIN이 올바르지 않습니다. 남은 시도 횟수는 ${attemptsRemaining}회입니다.`,
  'pin-wrong-unknown-attempts':
    'PIN이 올바르지 않습니다. 다시 시도하세요. 잘못된 PIN을 너무 많이 입력하면 스마트 카드가 차단됩니다.',
  'pin-last-attempt':
    '경고: 남은 시도는 한 번뿐입니다. 이번에도 PIN이 틀리면 스마트 카드가 차단됩니다.',

  'card-blocked':
    '잘못된 PIN을 너무 많이 입력하여 스마트 카드가 차단되었습니다. 차단을 해제하거나 로그인 화면으로 돌아가세요.',
  'unblock-card': '스마트 카드 차단 해제',
  'back-to-sign-in': '로그인 화면으로 돌아가기',
  'unblock-puk-prompt':
    '스마트 카드의 PUK(PIN 차단 해제 키)를 입력하세요. 그런 다음 새 PIN을 지정합니다.',
  'unblock-admin-key-prompt':
    '스마트 카드의 관리자 키를 입력하거나 지원 담당자에게 차단 해제를 요청하세요. 그런 다음 새 PIN을 지정합니다.',
  'unblock-failed':
    '이 키로 스마트 카드의 차단을 해제할 수 없습니다. 키를 확인한 후 다시 시도하거나 지원 담당자에게 문의하세요.',

  'pin-change-default':
    '스마트 카드에 아직 기본 PIN이 설정되어 있습니다. 로그인하기 전에 새 PIN을 지정하세요.',
  'pin-change-required': '로그인하기 전에 PIN을 변경해야 합니다.',
  'current-pin-prompt': '현재 PIN을 입력하세요.',
  'new-pin-prompt': '새 PIN을 입력하세요.',
  'confirm-pin-prompt': '확인을 위해 새 PIN을 다시 입력하세요.',
  'pin-mismatch': 'PIN이 일치하지 않습니다. 두 상자에 같은 새 PIN을 입력하세요.',
  'pin-changed': 'PIN이 변경되었습니다.',

  'pin-policy-not-a-string': 'PIN은 텍스트여야 합니다.',
  'pin-policy-too-short': ({ limit }) => `PIN은 ${limit}자 이상이어야 합니다.`,
  'pin-policy-too-long': ({ limit }) => `PIN은 ${limit}자 이하여야 합니다.`,
  'pin-policy-invalid-character': 'PIN에 사용할 수 없는 문자가 포함되어 있습니다.',
  'pin-policy-default-pin': '새 PIN은 기본 PIN과 달라야 합니다.',
  'pin-policy-repeated-character': 'PIN에 한 문자만 반복해서 사용할 수 없습니다.',
  'pin-policy-sequence': 'PIN은 1234나 4321처럼 연속된 문자일 수 없습니다.',
  'pin-policy-same-as-current': '새 PIN은 현재 PIN과 달라야 합니다.',

  'signing-in': '로그인하는 중…',
  'signed-in': '로그인되었습니다.',
  'sign-in-refused':
    '로그인하지 못했습니다. 다시 시도하고, 문제가 계속되면 지원 담당자에게 문의하세요.',
  'card-not-enrolled':
    '이 스마트 카드에는 로그인 인증서가 없습니다. 카드를 등록한 후 다시 로그인하세요.',
  'wrong-card': '로그인할 때 사용한 스마트 카드가 아닙니다. 본인의 스마트 카드를 삽입하세요.',
  'server-unavailable':
    '로그인 서버에 연결할 수 없습니다. 네트워크 연결을 확인하고 다시 시도하세요.',
  'timed-out': '시간이 너무 오래 걸려 중지했습니다. 다시 시도하세요.',

  close: '닫기',
  'display-closed': '창을 닫았습니다. 로그인 상태가 유지되며 알림도 계속 받습니다.',
  'restore-display': '창 다시 표시',
  'sign-out': '로그아웃',
  'sign-out-effect': '세션을 종료합니다. 프로그램은 계속 실행되며 로그인 창이 다시 나타납니다.',
  'delete-sign-in-info': '내 로그인 정보 삭제',
  'delete-sign-in-info-effect': '이 컴퓨터에서 로그인 주소와 암호를 제거합니다.',
  'delete-sign-in-info-recommended':
    '스마트 카드를 처음 사용하기 전에 내 로그인 정보 삭제를 선택하세요. 이 컴퓨터에 저장되어 오류를 일으킬 수 있는 로그인 정보가 지워집니다.',
  exit: '종료',
  'exit-effect': '세션을 종료하고 프로그램을 닫습니다.',

  'card-removed': '스마트 카드가 제거되었습니다. 로그인 상태는 유지됩니다.',
  'card-removed-locked':
    '스마트 카드가 제거되어 세션이 잠겼습니다. 잠금을 해제하려면 스마트 카드를 삽입하고 PIN을 입력하세요.',
  'card-removed-signed-out': '스마트 카드가 제거되어 로그아웃되었습니다.',

  'card-wait-timed-out':
    '시간 내에 스마트 카드가 감지되지 않았습니다. 스마트 카드를 삽입한 후 다시 시도하세요.',
  cancelled: '로그인이 취소되었습니다.',
  'tpm-locked-out': ({ seconds }) =>
    `잘못된 PIN을 너무 많이 입력하여 이 컴퓨터의 TPM이 잠겼습니다. ${seconds}초 후에 다시 시도하거나 관리자에게 잠금 해제를 요청하세요.`,
  'tpm-unavailable':
    '이 컴퓨터의 TPM(신뢰할 수 있는 플랫폼 모듈)을 사용할 수 없어 가상 스마트 카드를 사용할 수 없습니다.',
  'unsupported-environment':
    '이 환경에서는 스마트 카드로 로그인할 수 없습니다. 페이지를 HTTPS 또는 localhost로 제공해야 합니다.',
  error: '문제가 발생했습니다. 다시 시도하고, 문제가 계속되면 지원 담당자에게 문의하세요.',
};
