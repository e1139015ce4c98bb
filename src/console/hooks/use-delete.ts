// A confirm-then-delete action: the API's refusal (e.g. DependencyViolation)
// is shown with its Code and Message.
import { App } from 'antd';
import { errorParts } from '../components/api-error-alert.tsx';

export function useConfirmDelete() {
  const { modal, message } = App.useApp();
  return (opts: { title: string; content: string; run(): Promise<unknown>; after(): void; done: string }) => {
    modal.confirm({
      title: opts.title,
      content: opts.content,
      okText: 'Delete',
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await opts.run();
          message.success(opts.done);
        } catch (e) {
          const p = errorParts(e);
          modal.error({ title: p.code, content: p.message });
        }
        opts.after();
      },
    });
  };
}
