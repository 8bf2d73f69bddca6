package dev.leakscope.kernel;

import java.util.logging.Logger;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the class files JShell compiles from cells before they are loaded: a call to {@link CellHooks#check()}
 * before every backward jump (every loop has one), so a stop request ends {@code while (true) {}} on any JDK — the
 * JDK's own local engine does the same from JDK 24 on, and {@code Thread.stop} is gone since JDK 20; and
 * {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} calls sent to {@link CellHooks}, which
 * throws, so a cell cannot end the kernel (JDK 24+ has no SecurityManager to refuse it). Only cell code is
 * rewritten: library code a cell calls is not, and stops through interruption and {@code Progress}.
 */
final class SnippetBytecode {

    private static final Logger LOG = Logger.getLogger(SnippetBytecode.class.getName());
    private static final String HOOKS = CellHooks.class.getName().replace('.', '/');

    private SnippetBytecode() {
    }

    /** The rewritten class, or {@code classFile} unchanged if ASM cannot read it (a class version newer than it knows). */
    static byte[] instrument(byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, 0); // one static call with no stack effect: sizes and frames stay valid
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new HookedMethod(super.visitMethod(access, name, descriptor, signature, exceptions));
                }
            }, 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            LOG.warning("cell code not instrumented (interrupt and the System.exit guard rely on the JDK): " + e);
            return classFile;
        }
    }

    private static final class HookedMethod extends MethodVisitor {
        /** Labels already passed: a jump to one of them goes backwards, closing a loop. */
        private final java.util.Set<Label> behind = new java.util.HashSet<>();

        HookedMethod(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitLabel(Label label) {
            behind.add(label);
            super.visitLabel(label);
        }

        /**
         * A stop check before every backward jump: every loop has one, while the forward jumps of cleanup code
         * ({@code if (r != null) r.close()} in try-with-resources, {@code finally}) get none, so a stopped cell
         * still closes its resources.
         */
        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (behind.contains(label)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "check", "()V", false);
            }
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System") && name.equals("exit")
                    && descriptor.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                    && (name.equals("exit") || name.equals("halt")) && descriptor.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }
    }
}
